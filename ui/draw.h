/* draw.h: to be written. */
