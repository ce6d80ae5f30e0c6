// libxlsxwriter, as Swift imports it.
#include <xlsxwriter.h>
