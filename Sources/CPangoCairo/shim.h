// Pango over cairo (text layout, PDF surfaces) and fontconfig (a font file
// of the user's), as Swift imports them.
#include <pango/pangocairo.h>
#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>

// PANGO_SCALE is a macro Swift does not import.
static inline int crm_pango_scale(void) { return PANGO_SCALE; }
