/*
 * cairo_dl.h — cairo for chart_paint.c, loaded on first use (util/dynlib.h):
 * commands that draw nothing never load cairo, pixman, fontconfig and X11.
 * Include after <cairo.h>, from chart_paint.c only; a
 * cairo function missing from the list below fails to link.
 */
#ifndef CAIRO_DL_H
#define CAIRO_DL_H

#include "util/dynlib.h"

#define CAIRO_DL_FUNCS(X) \
	X(cairo_arc) X(cairo_clip) X(cairo_close_path) X(cairo_create) \
	X(cairo_debug_reset_static_data) X(cairo_destroy) X(cairo_fill) X(cairo_font_options_create) \
	X(cairo_font_options_destroy) X(cairo_font_options_set_antialias) X(cairo_font_options_set_hint_metrics) X(cairo_image_surface_create) \
	X(cairo_line_to) X(cairo_move_to) X(cairo_new_path) X(cairo_pattern_add_color_stop_rgba) \
	X(cairo_pattern_create_linear) X(cairo_pattern_destroy) X(cairo_rectangle) X(cairo_restore) \
	X(cairo_save) X(cairo_select_font_face) X(cairo_set_dash) X(cairo_set_font_options) \
	X(cairo_set_font_size) X(cairo_set_line_cap) X(cairo_set_line_join) X(cairo_set_line_width) \
	X(cairo_set_source) X(cairo_set_source_rgba) X(cairo_show_text) X(cairo_status) \
	X(cairo_status_to_string) X(cairo_stroke) X(cairo_surface_destroy) X(cairo_surface_finish) \
	X(cairo_surface_status) X(cairo_surface_write_to_png_stream) X(cairo_text_extents) X(cairo_text_path)

CAIRO_DL_FUNCS(DL_DECL)

static int
cairo_dl_load(void)
{
	static const char *const names[] = {CAIRO_DL_FUNCS(DL_NAME)};
	static void *const slots[] = {CAIRO_DL_FUNCS(DL_SLOT)};
	static int state;

	if (state == 0)
		state = dynlib_load("libcairo.so.2", "drawing charts", "libcairo2", names, slots,
		    sizeof names / sizeof names[0]) == 0 ? 1 : -1;
	return state == 1 ? 0 : -1;
}

#undef cairo_arc
#define cairo_arc	(*dl_cairo_arc)
#undef cairo_clip
#define cairo_clip	(*dl_cairo_clip)
#undef cairo_close_path
#define cairo_close_path	(*dl_cairo_close_path)
#undef cairo_create
#define cairo_create	(*dl_cairo_create)
#undef cairo_debug_reset_static_data
#define cairo_debug_reset_static_data	(*dl_cairo_debug_reset_static_data)
#undef cairo_destroy
#define cairo_destroy	(*dl_cairo_destroy)
#undef cairo_fill
#define cairo_fill	(*dl_cairo_fill)
#undef cairo_font_options_create
#define cairo_font_options_create	(*dl_cairo_font_options_create)
#undef cairo_font_options_destroy
#define cairo_font_options_destroy	(*dl_cairo_font_options_destroy)
#undef cairo_font_options_set_antialias
#define cairo_font_options_set_antialias	(*dl_cairo_font_options_set_antialias)
#undef cairo_font_options_set_hint_metrics
#define cairo_font_options_set_hint_metrics	(*dl_cairo_font_options_set_hint_metrics)
#undef cairo_image_surface_create
#define cairo_image_surface_create	(*dl_cairo_image_surface_create)
#undef cairo_line_to
#define cairo_line_to	(*dl_cairo_line_to)
#undef cairo_move_to
#define cairo_move_to	(*dl_cairo_move_to)
#undef cairo_new_path
#define cairo_new_path	(*dl_cairo_new_path)
#undef cairo_pattern_add_color_stop_rgba
#define cairo_pattern_add_color_stop_rgba	(*dl_cairo_pattern_add_color_stop_rgba)
#undef cairo_pattern_create_linear
#define cairo_pattern_create_linear	(*dl_cairo_pattern_create_linear)
#undef cairo_pattern_destroy
#define cairo_pattern_destroy	(*dl_cairo_pattern_destroy)
#undef cairo_rectangle
#define cairo_rectangle	(*dl_cairo_rectangle)
#undef cairo_restore
#define cairo_restore	(*dl_cairo_restore)
#undef cairo_save
#define cairo_save	(*dl_cairo_save)
#undef cairo_select_font_face
#define cairo_select_font_face	(*dl_cairo_select_font_face)
#undef cairo_set_dash
#define cairo_set_dash	(*dl_cairo_set_dash)
#undef cairo_set_font_options
#define cairo_set_font_options	(*dl_cairo_set_font_options)
#undef cairo_set_font_size
#define cairo_set_font_size	(*dl_cairo_set_font_size)
#undef cairo_set_line_cap
#define cairo_set_line_cap	(*dl_cairo_set_line_cap)
#undef cairo_set_line_join
#define cairo_set_line_join	(*dl_cairo_set_line_join)
#undef cairo_set_line_width
#define cairo_set_line_width	(*dl_cairo_set_line_width)
#undef cairo_set_source
#define cairo_set_source	(*dl_cairo_set_source)
#undef cairo_set_source_rgba
#define cairo_set_source_rgba	(*dl_cairo_set_source_rgba)
#undef cairo_show_text
#define cairo_show_text	(*dl_cairo_show_text)
#undef cairo_status
#define cairo_status	(*dl_cairo_status)
#undef cairo_status_to_string
#define cairo_status_to_string	(*dl_cairo_status_to_string)
#undef cairo_stroke
#define cairo_stroke	(*dl_cairo_stroke)
#undef cairo_surface_destroy
#define cairo_surface_destroy	(*dl_cairo_surface_destroy)
#undef cairo_surface_finish
#define cairo_surface_finish	(*dl_cairo_surface_finish)
#undef cairo_surface_status
#define cairo_surface_status	(*dl_cairo_surface_status)
#undef cairo_surface_write_to_png_stream
#define cairo_surface_write_to_png_stream	(*dl_cairo_surface_write_to_png_stream)
#undef cairo_text_extents
#define cairo_text_extents	(*dl_cairo_text_extents)
#undef cairo_text_path
#define cairo_text_path	(*dl_cairo_text_path)

#endif
