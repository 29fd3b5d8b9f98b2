/* edit.c: to be written. */
