// The curses API as Swift can import it: wide-character ncurses, with the
// macros and globals Swift cannot see wrapped in functions.
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <ncursesw/ncurses.h>

static inline WINDOW *crm_stdscr(void) { return stdscr; }
static inline int crm_lines(void) { return LINES; }
static inline int crm_cols(void) { return COLS; }
static inline int crm_key_f(int n) { return KEY_F(n); }
static inline int crm_attr_bold(void) { return (int)A_BOLD; }
static inline int crm_attr_underline(void) { return (int)A_UNDERLINE; }
static inline int crm_attr_reverse(void) { return (int)A_REVERSE; }
static inline int crm_set_style(int attributes, int pair) {
    return attr_set((attr_t)attributes, (short)pair, NULL);
}
