/*
 * tui.c -- placeholder until the interactive program lands.
 */
#include "tui.h"

#include <stdio.h>

int tui_main(const struct tui_opts *o)
{
	(void)o;
	fprintf(stderr, "conctui: the interactive view is not available yet; use --batch\n");
	return 2;
}
