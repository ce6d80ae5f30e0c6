// gdk-pixbuf, as Swift imports it: decoding JPEG (and other) images for documents.
#include <gdk-pixbuf/gdk-pixbuf.h>
