/*
 * cell_floor: the floor of keystroke.sh: what ncurses itself takes to change
 * one cell of a full screen of Chinese text and show it.
 *
 *   cell_floor N     fills the terminal with CJK text (two columns a
 *                    character), shows it, then N times writes one
 *                    character into one cell of a line in the middle and
 *                    refreshes; run under callgrind with N and 0, the
 *                    difference / N is the floor per keystroke.
 *   cell_floor N field
 *                    the same, but what keystroke.sh types: a line in the
 *                    middle holds a highlighted field of 40 columns (as the
 *                    focused cell is), and each time one ASCII character
 *                    is written into it, highlighted, the cursor after it.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 0;
	int field = argc > 2 && strcmp(argv[2], "field") == 0;
	setlocale(LC_ALL, "");
	initscr();
	raw();
	noecho();
	static const wchar_t text[] = L"项目支出绩效自评表年度总体目标实际完成情况绩效指标";
	size_t k = 0, len = wcslen(text);
	for (int y = 0; y < LINES; y++)
		for (int x = 0; x + 1 < COLS; x += 2) {
			mvaddnwstr(y, x, &text[k], 1);
			k = (k + 1) % len;
		}
	if (field) {
		attrset(A_REVERSE);
		mvhline(LINES / 2, 20, ' ', 40);
		attrset(A_NORMAL);
	}
	refresh();
	/* a keystroke: the character typed into a cell, the cursor after it */
	for (long i = 0; field && i < n; i++) {
		attrset(A_REVERSE);
		mvaddnwstr(LINES / 2, 20 + (int)(i % 20), L"a", 1);
		attrset(A_NORMAL);
		move(LINES / 2, 21 + (int)(i % 20));
		refresh();
	}
	for (long i = 0; !field && i < n; i++) {
		mvaddnwstr(LINES / 2, 20 + (int)(i % 20) * 2, &text[i % len], 1);
		move(LINES / 2, 22 + (int)(i % 20) * 2);
		refresh();
	}
	endwin();
	return 0;
}
