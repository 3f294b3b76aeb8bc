/*
 * The CMOS real-time clock, read once at boot to give the wall clock its
 * starting point (after that, time advances with the TSC).
 */
#include <types.h>
#include <arch/cpu.h>
#include <arch/x86_64/desc.h>
#include <lib/printk.h>

#include <proc/sched.h>

static uint8_t cmos_read(uint8_t reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

static unsigned bcd(uint8_t v, bool is_bcd)
{
	return is_bcd ? (v & 0x0f) + (v >> 4) * 10 : v;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void rtc_init(void)
{
	while (cmos_read(0x0a) & 0x80)	/* update in progress */
		cpu_relax();
	bool is_bcd = !(cmos_read(0x0b) & 0x04);
	unsigned sec = bcd(cmos_read(0x00), is_bcd);
	unsigned min = bcd(cmos_read(0x02), is_bcd);
	unsigned hour = bcd(cmos_read(0x04), is_bcd);
	unsigned day = bcd(cmos_read(0x07), is_bcd);
	unsigned mon = bcd(cmos_read(0x08), is_bcd);
	unsigned year = bcd(cmos_read(0x09), is_bcd) + 2000;

	int64_t days = days_from_civil(year, mon, day);
	uint64_t secs = days * 86400 + hour * 3600 + min * 60 + sec;
	timer_set_realtime_base(secs * 1000000000ULL);
	pr_info("rtc: %u-%02u-%02u %02u:%02u:%02u UTC", year, mon, day,
		hour, min, sec);
}
