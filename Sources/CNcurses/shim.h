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

// The mouse: presses of the left and right buttons and the wheel, reported at
// once (no click resolution inside curses: double clicks are timed by the caller).
static inline int crm_mouse_start(void) {
    mouseinterval(0);
    return mousemask(BUTTON1_PRESSED | BUTTON1_RELEASED | BUTTON3_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL) != 0;
}
// 1 left, 3 right, 4 wheel up, 5 wheel down, 6 left released, 0 anything else.
static inline int crm_mouse_read(int *x, int *y) {
    MEVENT e;
    if (getmouse(&e) != OK) return -1;
    *x = e.x;
    *y = e.y;
    if (e.bstate & BUTTON1_PRESSED) return 1;
    if (e.bstate & BUTTON3_PRESSED) return 3;
    if (e.bstate & BUTTON4_PRESSED) return 4;
    if (e.bstate & BUTTON5_PRESSED) return 5;
    if (e.bstate & BUTTON1_RELEASED) return 6;
    return 0;
}
static inline int crm_key_mouse(void) { return KEY_MOUSE; }
// The Menu key (xterm and its kin send ESC [ 29 ~), under a code of our own.
static inline int crm_define_menu_key(void) {
    int code = KEY_MAX + 1;
    define_key("\033[29~", code);
    return code;
}
