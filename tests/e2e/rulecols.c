/*
 * rulecols: where are the vertical rules of a screenshot?  Reads a binary
 * PGM (ImageMagick: convert shot.png pgm:-) of dark text on a light ground
 * and prints, one a line, the x of every pixel column (adjacent ones merged)
 * that holds a vertical stroke at least MIN pixels tall, gaps of up to GAP
 * pixels allowed (the space between two "|" of two text rows), with the
 * stroke's length.  Two screenshots of one screen drawn right show the same
 * rules at the same x; a screen whose rules are broken up or pushed right
 * shows fewer, shorter or shifted ones.
 *
 * usage: rulecols MIN GAP < shot.pgm
 */
#include <stdio.h>
#include <stdlib.h>

static int token(void)
{
	int c, v = 0;
	while ((c = getchar()) != EOF && (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '#'))
		if (c == '#')
			while ((c = getchar()) != EOF && c != '\n')
				;
	if (c == EOF)
		return -1;
	do
		v = v * 10 + (c - '0');
	while ((c = getchar()) != EOF && c >= '0' && c <= '9');
	return v;
}

int main(int argc, char **argv)
{
	if (argc != 3 || getchar() != 'P' || getchar() != '5') {
		fprintf(stderr, "usage: rulecols MIN GAP < shot.pgm (binary PGM)\n");
		return 2;
	}
	int min = atoi(argv[1]), gap = atoi(argv[2]);
	int w = token(), h = token(), max = token();
	if (w <= 0 || h <= 0 || max != 255 || w > 20000 || h > 20000)
		return 2;
	unsigned char *px = malloc((size_t)w * (size_t)h);
	if (!px || fread(px, 1, (size_t)w * (size_t)h, stdin) != (size_t)w * (size_t)h)
		return 2;
	int *best = calloc((size_t)w, sizeof *best);
	if (!best)
		return 2;
	for (int x = 0; x < w; x++) {
		int run = 0, holes = 0;
		for (int y = 0; y < h; y++) {
			if (px[(size_t)y * (size_t)w + (size_t)x] < 128) {
				run += holes + 1;
				holes = 0;
			} else if (run > 0 && ++holes > gap) {
				run = holes = 0;
			}
			if (run > best[x])
				best[x] = run;
		}
	}
	for (int x = 0; x < w;) {
		if (best[x] < min) {
			x++;
			continue;
		}
		int x0 = x, len = 0;
		for (; x < w && best[x] >= min; x++)
			if (best[x] > len)
				len = best[x];
		printf("%d %d\n", (x0 + x - 1) / 2, len);
	}
	free(best);
	free(px);
	return 0;
}
