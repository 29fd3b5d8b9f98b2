/* edit.h: to be written. */
