/* help.c: to be written. */
