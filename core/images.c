/* The image table (images.h): lookups over the generated array. */
#include "core/images.h"
#include "core/lib/libc.h"

const struct image_entry *image_find(const char *name)
{
	for (size_t i = 0; i < image_count; i++)
		if (!BH_LIBC(strcmp)(image_table[i].name, name))
			return &image_table[i];
	return NULL;
}

unsigned int image_names(const char **names, unsigned int max)
{
	unsigned int n = 0;

	for (size_t i = 0; i < image_count && n < max; i++)
		names[n++] = image_table[i].name;
	return n;
}
