/*
 * core/port.c's copies and the meta form of the sampling read (the kernel's direct path
 * writes both straight into a caller's memory): every length and alignment, exactly
 * the message's bytes written, the same results and counts as the other form.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "core/port.h"
#include "port_fixture.h"

/* The word copies (four words a turn) into and out of the region: every length, every
 * alignment of the source's message and of the reader's buffer; exactly len bytes
 * written to the reader, the region's tail zero-padded; the meta form of the read
 * agrees with the other. */
Test(port_copy, every_length_and_alignment)
{
	for (uint32_t mb = 1; mb <= 77; mb += 4) {
		struct port_cfg c = cfg_of(CHANNEL_SAMPLING, mb, 0, 1000);
		struct port_cfg q = cfg_of(CHANNEL_QUEUING, mb, 2, 0);
		void *reg = region_new(&c), *qreg = region_new(&q);
		struct port_ack ack = { 0 };
		struct port_reader rd = { 0 };

		for (uint32_t len = 1; len <= mb; len++)
			for (unsigned int sa = 0; sa < 8; sa++)
				for (unsigned int da = 0; da < 8; da++) {
					uint8_t src[96], dst[112] __attribute__((aligned(8)));
					struct bh_sample_meta meta = { 0 };
					struct port_stats st = { 0 };
					uint32_t got = 0;

					for (unsigned int i = 0; i < sizeof(src); i++)
						src[i] = (uint8_t)(len * 31 + sa * 7 + i);
					memset(dst, 0xee, sizeof(dst));
					cr_assert_eq(port_sampling_write(&c, reg, src + sa, len, 5), PORT_OK);
					cr_assert_eq(port_sampling_read_meta(&c, reg, &st.rd, dst + da, 6, NULL, &meta),
						     PORT_OK);
					cr_assert_eq(meta.len, len);
					cr_assert_eq(meta.age_ns, 1);
					cr_assert_eq(meta.valid, 1);
					cr_assert_eq(memcmp(dst + da, src + sa, len), 0, "mb %u len %u", mb, len);
					for (unsigned int i = 0; i < sizeof(dst); i++)
						if (i < da || i >= da + len)
							cr_assert_eq(dst[i], 0xee, "byte %u written (len %u, at %u)",
								     i, len, da);
					for (uint32_t i = len; i < c.data_bytes; i++)
						cr_assert_eq(((uint8_t *)reg)[PORT_HDR_BYTES + i], 0,
							     "the region's padding");
					/* The same through the queue. */
					memset(dst, 0xee, sizeof(dst));
					cr_assert_eq(port_queuing_send(&q, qreg, &ack, src + sa, len), PORT_OK);
					cr_assert_eq(port_queuing_recv(&q, qreg, &rd, &ack, &st, dst + da, &got),
						     PORT_OK);
					cr_assert_eq(got, len);
					cr_assert_eq(memcmp(dst + da, src + sa, len), 0);
					for (unsigned int i = 0; i < sizeof(dst); i++)
						if (i < da || i >= da + len)
							cr_assert_eq(dst[i], 0xee);
				}
		free(reg);
		free(qreg);
	}
}

/* port_sampling_read_meta: the same results and counts as port_sampling_read, the meta
 * written only when a sample is returned. */
Test(port_copy, sampling_read_meta_matches_the_read)
{
	struct port_cfg c = cfg_of(CHANNEL_SAMPLING, 16, 0, 10);
	void *reg = region_new(&c);
	struct port_stats st = { 0 };
	struct bh_sample_meta meta = { 77, 77, 77 };
	uint8_t buf[16];

	cr_assert_eq(port_sampling_read_meta(&c, reg, &st.rd, buf, 0, NULL, &meta), PORT_EMPTY);
	cr_assert_eq(meta.age_ns, 77, "untouched unless a sample is returned");
	cr_assert_eq(st.rd.empty_refusals, 1);
	cr_assert_eq(port_sampling_write(&c, reg, "stale", 5, 100), PORT_OK);
	cr_assert_eq(port_sampling_read_meta(&c, reg, &st.rd, buf, 10100, NULL, &meta), PORT_OK);
	cr_assert_eq(meta.age_ns, 10000);
	cr_assert_eq(meta.valid, 1, "age == refresh (10 us) is valid");
	cr_assert_eq(meta.len, 5);
	cr_assert_eq(memcmp(buf, "stale", 5), 0);
	cr_assert_eq(port_sampling_read_meta(&c, reg, &st.rd, buf, 10101, NULL, &meta), PORT_OK);
	cr_assert_eq(meta.valid, 0);
	cr_assert_eq(st.rd.stale_reads, 1);
	cr_assert_eq(st.rd.received, 2);
	cr_assert_eq(port_sampling_read_meta(&c, reg, &st.rd, buf, 50, NULL, &meta), PORT_OK);
	cr_assert_eq(meta.age_ns, 0, "a stamp from the future");
	cr_assert_eq(meta.valid, 0);
	/* A hostile length. */
	((uint32_t *)reg)[1] = 17;
	meta.len = 99;
	cr_assert_eq(port_sampling_read_meta(&c, reg, &st.rd, buf, 111, NULL, &meta), PORT_CORRUPT);
	cr_assert_eq(meta.len, 99);
	cr_assert_eq(st.rd.corrupt, 1);
	free(reg);
}
