/* doc: a form being worked on (see doc.h).  Being written. */
