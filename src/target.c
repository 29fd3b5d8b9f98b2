/* target.c: to be written. */
