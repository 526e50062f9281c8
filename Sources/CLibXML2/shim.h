// The libxml2 headers SAMLMetadata needs, and nothing else. SAMLMetadata imports this module
// `internal`ly, so no libxml2 type or pointer leaves that target (DESIGN.md §4).
#ifndef ZSCIM_CLIBXML2_SHIM_H
#define ZSCIM_CLIBXML2_SHIM_H

#include <libxml/xmlversion.h>
// Debian's libxml2 is built with ICU, so encoding.h would pull in the system's ICU headers, whose
// `UErrorCode` clashes with the copy inside Foundation (`_FoundationICU`) and breaks the build of
// any target importing both. ICU only adds fields at the end of xmlCharEncodingHandler, a struct
// SAMLMetadata never allocates or reads (it only passes pointers to it around inside libxml2),
// so hiding ICU from these headers changes nothing we touch.
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#endif
