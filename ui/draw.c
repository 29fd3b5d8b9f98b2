/* draw.c: to be written. */
