// SPDX-License-Identifier: GPL-2.0
/*
 * mgrectl: a minimal streaming JSON writer on stdout.  Compact by default
 * (one line per top-level value), indented with -pretty.  It also holds
 * the output mode every printer consults (json_output, pretty_output).
 */
#include <inttypes.h>
#include <stdio.h>

#include "util.h"

#define JSON_MAX_DEPTH	8

/* The output mode, set once by the global options -json and -pretty. */
bool json_output;
bool pretty_output;

static int depth;
static bool first[JSON_MAX_DEPTH];

static void newline_indent(void)
{
	int i;

	if (!pretty_output)
		return;
	putchar('\n');
	for (i = 0; i < depth; i++)
		fputs("    ", stdout);
}

static void put_escaped(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = *s;

		switch (c) {
		case '"':
			fputs("\\\"", stdout);
			break;
		case '\\':
			fputs("\\\\", stdout);
			break;
		case '\n':
			fputs("\\n", stdout);
			break;
		case '\t':
			fputs("\\t", stdout);
			break;
		default:
			if (c < 0x20)
				printf("\\u%04x", c);
			else
				putchar(c);
		}
	}
	putchar('"');
}

/* Separator, indentation and "name": before every value. */
static void begin_value(const char *name)
{
	if (depth > 0) {
		if (!first[depth])
			putchar(',');
		first[depth] = false;
		newline_indent();
	}
	if (name) {
		put_escaped(name);
		fputs(pretty_output ? ": " : ":", stdout);
	}
}

static void open_container(const char *name, char c)
{
	begin_value(name);
	putchar(c);
	if (depth < JSON_MAX_DEPTH - 1)
		depth++;
	first[depth] = true;
}

static void close_container(char c)
{
	bool empty = first[depth];

	if (depth > 0)
		depth--;
	if (!empty)
		newline_indent();
	putchar(c);
	if (!depth)
		putchar('\n');
}

void json_begin_object(const char *name)
{
	open_container(name, '{');
}

void json_end_object(void)
{
	close_container('}');
}

void json_begin_array(const char *name)
{
	open_container(name, '[');
}

void json_end_array(void)
{
	close_container(']');
}

void json_string(const char *name, const char *val)
{
	begin_value(name);
	put_escaped(val);
}

void json_u64(const char *name, uint64_t val)
{
	begin_value(name);
	printf("%" PRIu64, val);
}

void json_null(const char *name)
{
	begin_value(name);
	fputs("null", stdout);
}

void json_bool(const char *name, bool val)
{
	begin_value(name);
	fputs(val ? "true" : "false", stdout);
}

void json_flush(void)
{
	fflush(stdout);
}
