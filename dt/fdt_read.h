/*
 * Checked readers over a libfdt blob: cells, strings, reg ranges translated to CPU
 * physical addresses. Each fills a dt_diag on failure. Preconditions: the blob has
 * passed dt_blob_check(), offsets come from libfdt.
 */
#ifndef BULKHEAD_DT_FDT_READ_H
#define BULKHEAD_DT_FDT_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/lib/compiler.h"
#include "core/lib/types.h"
#include "dt/dt_error.h"

/* Header, size and full structure check; bufsize is how many bytes are readable. */
enum dt_err dt_blob_check(const void *fdt, size_t bufsize, struct dt_diag *diag) __must_check;

/* Start a diagnosis at node (or -1 for none); returns a builder over diag->what. */
struct strbuf dt_diag_begin(struct dt_diag *diag, enum dt_err err, const void *fdt, int node);

/* status absent, "okay" or "ok". */
bool dt_node_enabled(const void *fdt, int node);

/* #address-cells / #size-cells a node gives its children (spec defaults 2 / 1). */
enum dt_err dt_child_cells(const void *fdt, int node, unsigned int *acells, unsigned int *scells,
			   struct dt_diag *diag) __must_check;

/* A u32 property. */
enum dt_err dt_read_u32(const void *fdt, int node, const char *prop, uint32_t *out,
			struct dt_diag *diag) __must_check;

/* A property of 1 or 2 cells as a u64 (linux,initrd-start and the like). */
enum dt_err dt_read_cells_u64(const void *fdt, int node, const char *prop, uint64_t *out,
			      struct dt_diag *diag) __must_check;

/* How many (address, size) entries a node's reg holds. */
enum dt_err dt_reg_count(const void *fdt, int node, unsigned int *count,
			 struct dt_diag *diag) __must_check;

/* Entry idx of a node's reg, translated through every parent's ranges. */
enum dt_err dt_reg(const void *fdt, int node, unsigned int idx, struct pa_range *out,
		   struct dt_diag *diag) __must_check;

/*
 * The node the len bytes at path name: a full path ("/soc/serial@1000"), or an alias and
 * an optional rest ("serial0", "soc/serial@1000") with the alias taken from /aliases.
 * Aliases are resolved here (never by libfdt's path lookup, which follows an alias that
 * names itself until the stack overflows); an alias must be a full path. On error diag
 * is placed at /aliases for a bad alias, else at where, quoting prop (the property the
 * path came from).
 */
enum dt_err dt_path_node(const void *fdt, const char *path, size_t len, int where,
			 const char *prop, int *node, struct dt_diag *diag) __must_check;

/* Does the node's compatible list hold this string? */
bool dt_compatible(const void *fdt, int node, const char *compat);

/*
 * The node a plan's device reference names. A path ("/pl031@9010000") or an alias is
 * looked up as such. A bare node name with its unit address ("pl031@9010000") names the
 * one node of that name anywhere in the tree, so one plan holds on machines that put the
 * device under different parents (bare metal at the root, a Xen guest under
 * /passthrough). Returns the node, or -1 with *matches = 0 (none) or the number of
 * nodes of that name (ambiguous; *first and *second are two of them).
 */
int dt_device_ref(const void *fdt, const char *ref, unsigned int *matches, int *first,
		  int *second);

/* The first enabled node whose compatible holds any of compats[]; which one in *which. */
int dt_find_compatible(const void *fdt, const char *const *compats, unsigned int n,
		       unsigned int *which);

#endif
