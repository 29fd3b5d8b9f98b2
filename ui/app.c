/*
 * app: terminal set-up and the main loop (see app.h).
 *
 * Promises: the terminal is UTF-8 or we say which locale to use and exit 2
 * before touching it; the terminal is always restored (endwin, bracketed
 * paste off); the loop sleeps in the terminal read with a timeout taken from
 * the active screen's idle work, so an edit is saved one second after the
 * last key; a resize redraws at once; a paste, however large, is read to its
 * end without hanging (a quiet terminal ends it) and only its first bytes
 * are kept.
 *
 * JXZP_KEYS (for benchmarks and scripted runs): keys are read from this
 * string instead of the keyboard; "~t" Tab, "~n" Enter, "~e" Esc, "~q" quit,
 * "~~" a tilde.  The program quits when the string runs out.
 */
#include "config.h"
#include "app.h"
#include "draw.h"
#include "i18n.h"
#include "termprobe.h"
#include "keydec.h"
#include "ui.h"
#include "ustr.h"

#include <curses.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#define PASTE_KEEP (1 << 20)	/* bytes of a paste we keep */

static const struct screen *const screens[SCR_COUNT] = {
	[SCR_LIST] = &list_screen, [SCR_FORM] = &form_screen, [SCR_HELP] = &help_screen,
	[SCR_REVIEW] = &review_screen, [SCR_SUMMARY] = &summary_screen,
};

enum { KC_PASTE_BEGIN = KEY_MAX + 1, KC_PASTE_END };
static int kc_alt_up = -1, kc_alt_down = -1, kc_ctrl_up = -1, kc_ctrl_down = -1;
static const char *replay;	/* JXZP_KEYS */
static struct app *the_app;

double app_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

const char *app_clock(const struct app *a, char buf[16])
{
	if (a->fixed_time) {
		buf[0] = 0;
		return buf;
	}
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(buf, 16, "%H:%M:%S", &tm);
	return buf;
}

bool app_size_ok(void)
{
	if (COLS >= APP_MIN_COLS && LINES >= APP_MIN_LINES)
		return true;
	erase();
	char buf[256];
	snprintf(buf, sizeof buf, _("terminal too small (need 80×24, have %d×%d)"), COLS, LINES);
	draw_clip(0, LINES);
	int y = LINES / 2;
	draw_text(y, 0, COLS, buf, strlen(buf), AL_CENTER, A_BOLD);
	const char *q = _("make it larger, or press Ctrl-Q to quit");
	if (y + 1 < LINES)
		draw_text(y + 1, 0, COLS, q, strlen(q), AL_CENTER, A_NORMAL);
	curs_set(0);
	return false;
}

void app_redraw(struct app *a)
{
	if (!app_size_ok())
		return;
	screens[a->cur]->draw(a);
}

void app_switch(struct app *a, enum screen_id to)
{
	a->cur = to;
	if (screens[to]->enter)
		screens[to]->enter(a);
	app_redraw(a);
}

/* One character or key from the terminal: OK with *c a character,
 * KEY_CODE_YES with *c a curses key code, ERR on timeout.  Bytes go through
 * keydec, not curses' own decoder: one invalid byte (8-bit Meta, a stray
 * GBK byte) made get_wch drop every character after it until a function
 * key came; keydec drops that byte only. */
static struct keydec kd;
static int get_char(int *c)
{
	for (;;) {
		int b = getch();
		if (b == ERR) {
			keydec_flush(&kd);	/* a character cut short shows nothing */
			return ERR;
		}
		if (b < 0 || b > 0xff) {
			keydec_flush(&kd);
			*c = b;
			return KEY_CODE_YES;
		}
		int r = keydec_feed(&kd, (unsigned char)b);
		if (r >= 0) {
			*c = r;
			return OK;
		}
		/* KD_MORE: the rest of the character; KD_BAD: dropped, read on */
	}
}

/* A key code defined by the terminal's description (e.g. kUP3 = Alt-Up). */
static int cap_key(const char *cap)
{
	const char *s = tigetstr(cap);
	if (!s || s == (const char *)-1)
		return -1;
	int k = key_defined(s);
	return k > 0 ? k : -1;
}

static void paste_add(struct app *a, const char *s, size_t n, size_t *cap)
{
	if (a->paste_len + n > PASTE_KEEP)
		return;		/* keep reading, stop keeping */
	if (a->paste_len + n + 1 > *cap) {
		while (a->paste_len + n + 1 > *cap)
			*cap = *cap ? *cap * 2 : 4096;
		a->paste = realloc(a->paste, *cap);
		if (!a->paste)
			abort();
	}
	memcpy(a->paste + a->paste_len, s, n);
	a->paste_len += n;
	a->paste[a->paste_len] = 0;
}

/* Reads a bracketed paste up to its end marker; a terminal quiet for half a
 * second also ends it, so a lost end marker cannot hang us. */
static void read_paste(struct app *a)
{
	size_t cap = 0;
	a->paste_len = 0;
	free(a->paste);
	a->paste = NULL;
	paste_add(a, "", 0, &cap);
	timeout(500);
	for (;;) {
		int wc;
		int r = get_char(&wc);
		if (r == ERR)
			break;
		if (r == KEY_CODE_YES) {
			if (wc == KC_PASTE_END)
				break;
			if (wc == KEY_ENTER)
				paste_add(a, "\n", 1, &cap);
			continue;
		}
		char mb[MB_LEN_MAX];
		mbstate_t st;
		memset(&st, 0, sizeof st);
		size_t n = wcrtomb(mb, (wchar_t)wc, &st);
		if (n != (size_t)-1)
			paste_add(a, mb, n, &cap);
	}
}

/* The next key from JXZP_KEYS; ERR when it has run out. */
static int replay_key(struct app *a)
{
	if (!*replay) {
		a->quit = true;
		return ERR;
	}
	if (*replay == '~' && replay[1]) {
		char c = replay[1];
		replay += 2;
		switch (c) {
		case 't': return '\t';
		case 'n': return '\n';
		case 'e': return K_ESC;
		case 'q': a->quit = true; return ERR;
		default: return (unsigned char)c;
		}
	}
	wchar_t wc;
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t n = mbrtowc(&wc, replay, strlen(replay), &st);
	if (n == 0 || n == (size_t)-1 || n == (size_t)-2) {
		replay++;
		return '?';
	}
	replay += n;
	return (int)wc;
}

/* One key: a character, KF(curses code), or one of the K_ codes; ERR on timeout. */
static int read_key(struct app *a)
{
	if (replay)
		return replay_key(a);
	int wc;
	int r = get_char(&wc);
	if (r == ERR)
		return ERR;
	if (r == OK) {
		if (wc == '\r')
			return '\n';
		if (wc == 0x7f || wc == 8)
			return KF(KEY_BACKSPACE);
		return (int)wc;
	}
	int k = (int)wc;
	if (k == KC_PASTE_BEGIN) {
		read_paste(a);
		return K_PASTE;
	}
	if (k == KC_PASTE_END)
		return ERR;
	if (k == KEY_ENTER)
		return '\n';
	if (k == kc_alt_up)
		return K_ALT_UP;
	if (k == kc_alt_down)
		return K_ALT_DOWN;
	if (k == kc_ctrl_up)
		return K_CTRL_UP;
	if (k == kc_ctrl_down)
		return K_CTRL_DOWN;
	if (k == KEY_MOUSE) {
		MEVENT ev;
		if (getmouse(&ev) != OK)
			return ERR;
		a->mouse_y = ev.y;
		a->mouse_x = ev.x;
		if (ev.bstate & BUTTON4_PRESSED)
			return K_WHEEL_UP;
#ifdef BUTTON5_PRESSED
		if (ev.bstate & BUTTON5_PRESSED)
			return K_WHEEL_DOWN;
#endif
		if (ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED))
			return K_MOUSE;
		return ERR;
	}
	return KF(k);
}

static bool is_quit(int k)
{
	return k == CTRL('Q') || k == CTRL('C') || k == KF(KEY_F(10));
}

int app_getkey(struct app *a)
{
	for (;;) {
		timeout(-1);
		int k = read_key(a);
		if (k == ERR) {
			if (a->quit)
				return K_ESC;
			continue;
		}
		if (k == KF(KEY_RESIZE))
			app_redraw(a);
		/* A dialog never draws on a terminal too small for it: until it
		 * is large again only the message shows, keys other than quit
		 * are ignored, and the dialog then redraws for the new size. */
		if (COLS < APP_MIN_COLS || LINES < APP_MIN_LINES) {
			if (is_quit(k))
				return K_ESC;
			app_size_ok();
			refresh();
			continue;
		}
		return k;
	}
}

/* Ambiguous-width characters: JXZP_AMBIGUOUS (or --ambiguous) says narrow or
 * wide; otherwise ("auto") the terminal is asked how wide it drew "─", and,
 * when that was wide, how wide its own line-drawing set is (xterm's
 * cjk_width draws even that wide: then rules are ASCII). */
static const char *amb_source = "";
static bool acs_narrow;

static void ambiguous_setup(void)
{
	const char *e = getenv("JXZP_AMBIGUOUS");
	bool wide = false;
	if (e && strcmp(e, "wide") == 0) {
		wide = true;
		amb_source = "set";
	} else if (e && strcmp(e, "narrow") == 0) {
		amb_source = "set";
	} else if (!replay) {
		int w = termprobe_width(STDIN_FILENO, STDOUT_FILENO, "\u2500", 400);
		wide = w == 2;
		amb_source = w < 0 ? "no answer" : "detected";
		if (wide)
			acs_narrow = termprobe_width(STDIN_FILENO, STDOUT_FILENO, "\033(0q\033(B", 400) == 1;
	}
	ustr_set_ambiguous_wide(wide);
}

const char *app_ambiguous_mode(void)
{
	static char buf[128];
	const char *src = strcmp(amb_source, "set") == 0 ? _("set by --ambiguous")
		: strcmp(amb_source, "detected") == 0 ? _("asked the terminal")
		: *amb_source ? _("the terminal did not say") : "";
	snprintf(buf, sizeof buf, _("ambiguous-width characters: %s (%s)"),
		 ustr_ambiguous_wide() ? _("wide") : _("narrow"), src);
	return buf;
}

static void set_bracketed_paste(bool on)
{
	fputs(on ? "\033[?2004h" : "\033[?2004l", stdout);
	fflush(stdout);
}

int ui_run(struct store *s, enum screen_mode mode, int64_t form_id)
{
	const char *cs = nl_langinfo(CODESET);
	if (!cs || strcmp(cs, "UTF-8") != 0) {
		fprintf(stderr, _("jxzp: the screen needs a UTF-8 locale, and this one uses %s; "
				  "run it with a UTF-8 locale, e.g. LANG=zh_CN.UTF-8 or LANG=C.UTF-8\n"),
			cs && *cs ? cs : "?");
		return EXIT_USAGE;
	}
	replay = getenv("JXZP_KEYS");
	if (!replay && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
		fprintf(stderr, "%s\n", _("jxzp: the screen needs a terminal; for scripts, use the subcommands (jxzp --help)"));
		return EXIT_USAGE;
	}
	ambiguous_setup();
	SCREEN *scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		fprintf(stderr, _("jxzp: cannot use this terminal (TERM=%s)\n"),
			getenv("TERM") ? getenv("TERM") : "");
		return EXIT_USAGE;
	}
	set_term(scr);
	keydec_init(&kd);
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	const char *nc = getenv("NO_COLOR");
	bool color = has_colors() && !(nc && *nc);
	draw_setup(color);
	if (ustr_ambiguous_wide()) {
		const char *smacs = tigetstr("smacs");
		bool acs = acs_narrow && smacs && smacs != (const char *)-1;
		draw_set_lines(acs ? LINES_ACS : LINES_ASCII);
	}
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
		  | BUTTON5_PRESSED
#endif
		  , NULL);
	mouseinterval(0);
	define_key("\033[200~", KC_PASTE_BEGIN);
	define_key("\033[201~", KC_PASTE_END);
	kc_alt_up = cap_key("kUP3");
	kc_alt_down = cap_key("kDN3");
	kc_ctrl_up = cap_key("kUP5");
	kc_ctrl_down = cap_key("kDN5");
	set_bracketed_paste(true);

	struct app a = { .s = s, .mode = mode, .color = color, .open_id = form_id };
	const char *ft = getenv("JXZP_FIXED_TIME");
	a.fixed_time = ft && *ft;
	the_app = &a;
	a.pager_back = SCR_COUNT;
	app_switch(&a, mode == SCREEN_FORM ? SCR_FORM : mode == SCREEN_REVIEW ? SCR_REVIEW : SCR_LIST);
	bool quit_asked = false;
	while (!a.quit) {
		const struct screen *sc = screens[a.cur];
		int ms = sc->idle_ms ? sc->idle_ms(&a) : -1;
		timeout(ms);
		refresh();
		int k = read_key(&a);
		if (k == ERR) {
			if (!a.quit && sc->idle && ms >= 0) {
				sc->idle(&a);
				if (COLS < APP_MIN_COLS || LINES < APP_MIN_LINES)
					app_size_ok();	/* the message stays whole */
			}
			continue;
		}
		if (k == KF(KEY_RESIZE)) {
			app_redraw(&a);
			continue;
		}
		if (is_quit(k)) {
			/* quitting saves; if the store refuses, say so once */
			if ((sc->leave && !sc->leave(&a)) && !quit_asked) {
				quit_asked = true;
				continue;
			}
			break;
		}
		quit_asked = false;
		if (!app_size_ok())
			continue;
		sc->key(&a, k);
	}
	if (screens[a.cur]->leave)
		screens[a.cur]->leave(&a);
	for (int i = 0; i < SCR_COUNT; i++)
		if (screens[i]->done)
			screens[i]->done();
	endwin();
	set_bracketed_paste(false);
	delscreen(scr);
	free(a.paste);
	free(a.ids);
	the_app = NULL;
	return a.rc;
}
