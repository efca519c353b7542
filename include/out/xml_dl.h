/*
 * xml_dl.h — libxml2's text writer for out_junit.c, loaded on first use
 * (util/dynlib.h) so that commands writing no XML never load it and its ICU.
 * Include after <libxml/xmlwriter.h>, from out_junit.c only.
 */
#ifndef XML_DL_H
#define XML_DL_H

#include "util/dynlib.h"

#define XML_DL_FUNCS(X) \
	X(xmlBufferContent) X(xmlBufferCreate) X(xmlBufferFree) X(xmlBufferLength) \
	X(xmlFreeTextWriter) X(xmlInitParser) X(xmlNewTextWriterMemory) X(xmlTextWriterEndDocument) \
	X(xmlTextWriterEndElement) X(xmlTextWriterSetIndent) X(xmlTextWriterSetIndentString) X(xmlTextWriterStartDocument) \
	X(xmlTextWriterStartElement) X(xmlTextWriterWriteAttribute) X(xmlTextWriterWriteString)

XML_DL_FUNCS(DL_DECL)

static int
xml_dl_load(void)
{
	static const char *const names[] = {XML_DL_FUNCS(DL_NAME)};
	static void *const slots[] = {XML_DL_FUNCS(DL_SLOT)};
	static int state;

	if (state == 0)
		state = dynlib_load("libxml2.so.2", "writing JUnit XML", "libxml2", names, slots,
		    sizeof names / sizeof names[0]) == 0 ? 1 : -1;
	return state == 1 ? 0 : -1;
}

#undef xmlBufferContent
#define xmlBufferContent	(*dl_xmlBufferContent)
#undef xmlBufferCreate
#define xmlBufferCreate	(*dl_xmlBufferCreate)
#undef xmlBufferFree
#define xmlBufferFree	(*dl_xmlBufferFree)
#undef xmlBufferLength
#define xmlBufferLength	(*dl_xmlBufferLength)
#undef xmlFreeTextWriter
#define xmlFreeTextWriter	(*dl_xmlFreeTextWriter)
#undef xmlInitParser
#define xmlInitParser	(*dl_xmlInitParser)
#undef xmlNewTextWriterMemory
#define xmlNewTextWriterMemory	(*dl_xmlNewTextWriterMemory)
#undef xmlTextWriterEndDocument
#define xmlTextWriterEndDocument	(*dl_xmlTextWriterEndDocument)
#undef xmlTextWriterEndElement
#define xmlTextWriterEndElement	(*dl_xmlTextWriterEndElement)
#undef xmlTextWriterSetIndent
#define xmlTextWriterSetIndent	(*dl_xmlTextWriterSetIndent)
#undef xmlTextWriterSetIndentString
#define xmlTextWriterSetIndentString	(*dl_xmlTextWriterSetIndentString)
#undef xmlTextWriterStartDocument
#define xmlTextWriterStartDocument	(*dl_xmlTextWriterStartDocument)
#undef xmlTextWriterStartElement
#define xmlTextWriterStartElement	(*dl_xmlTextWriterStartElement)
#undef xmlTextWriterWriteAttribute
#define xmlTextWriterWriteAttribute	(*dl_xmlTextWriterWriteAttribute)
#undef xmlTextWriterWriteString
#define xmlTextWriterWriteString	(*dl_xmlTextWriterWriteString)

#endif
