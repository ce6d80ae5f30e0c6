#include <curl/curl.h>

// curl_easy_setopt is variadic, which Swift cannot call: one typed door per kind of value.
static inline CURLcode crm_curl_long(CURL *curl, CURLoption option, long value) { return curl_easy_setopt(curl, option, value); }
static inline CURLcode crm_curl_string(CURL *curl, CURLoption option, const char *value) { return curl_easy_setopt(curl, option, value); }
static inline CURLcode crm_curl_pointer(CURL *curl, CURLoption option, void *value) { return curl_easy_setopt(curl, option, value); }
static inline CURLcode crm_curl_list(CURL *curl, CURLoption option, struct curl_slist *value) { return curl_easy_setopt(curl, option, value); }
typedef size_t (*crm_curl_read_callback)(char *buffer, size_t size, size_t count, void *userdata);
static inline CURLcode crm_curl_reader(CURL *curl, crm_curl_read_callback callback) {
    return curl_easy_setopt(curl, CURLOPT_READFUNCTION, callback);
}
// curl_easy_getinfo is variadic too: the last reply code of the server (an SMTP reply such as 451 or 550).
static inline long crm_curl_response_code(CURL *curl) {
    long code = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
    return code;
}
