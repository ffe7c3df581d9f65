using LeakGuard.Formatting;
using NUnit.Framework;

namespace LeakGuard.Tests.Formatting;

public sealed class ReadableTests
{
    [TestCase(0, "0 B")]
    [TestCase(512, "512 B")]
    [TestCase(999, "999 B")]
    [TestCase(1000, "0.98 KiB")]
    [TestCase(1536, "1.50 KiB")]
    [TestCase(12.3 * 1024 * 1024, "12.3 MiB")]
    [TestCase(123.4 * 1024 * 1024, "123 MiB")]
    [TestCase(99.96 * 1024 * 1024, "100 MiB")]
    [TestCase(9.996 * 1024 * 1024, "10.0 MiB")]
    [TestCase(1023.9 * 1024 * 1024, "1.00 GiB")]
    [TestCase(2147483648d, "2.00 GiB")]
    [TestCase(-524288, "-512 KiB")]
    [TestCase(-0.001, "0 B")]
    [TestCase(double.NaN, "–")]
    public void Bytes_use_binary_units_and_at_most_three_digits(double bytes, string expected)
    {
        Assert.That(Readable.Bytes(bytes), Is.EqualTo(expected));
    }

    [TestCase(0.25, "250 ms")]
    [TestCase(0.9996, "1 s")]
    [TestCase(45, "45 s")]
    [TestCase(59.6, "1 min")]
    [TestCase(12 * 60 + 20, "12 min")]
    [TestCase(59 * 60 + 40, "1 h")]
    [TestCase(6 * 3600 + 59 * 60 + 50, "7 h")]
    [TestCase(6 * 3600 + 59 * 60 + 20, "6 h 59 min")]
    [TestCase(47 * 3600 + 59 * 60 + 40, "2 d")]
    [TestCase(2 * 86400 + 9 * 3600 + 10 * 60, "2 d 9 h")]
    [TestCase(3 * 86400 + 23 * 3600 + 40 * 60, "4 d")]
    [TestCase(1025 * 86400 + 14 * 3600, "1,026 d")]
    [TestCase(-5, "0 s")]
    public void Durations_are_split_into_whole_units_never_showing_a_full_count(double seconds, string expected)
    {
        Assert.That(Readable.Duration(TimeSpan.FromSeconds(seconds)), Is.EqualTo(expected));
        Assert.That(Readable.Duration(seconds), Is.EqualTo(expected));
    }

    [Test]
    public void Endless_and_unknown_durations_say_so()
    {
        Assert.That(Readable.Duration(TimeSpan.MaxValue), Is.EqualTo("never"));
        Assert.That(Readable.Duration(double.PositiveInfinity), Is.EqualTo("–"));
    }

    [TestCase(614_700, true, "+35.2 MiB/min")]
    [TestCase(2048, true, "+7.03 MiB/h")]
    [TestCase(-100, true, "-352 KiB/h")]
    [TestCase(0, true, "0 B/h")]
    [TestCase(4, false, "+14,400/h")]
    [TestCase(0.001, false, "+3.6/h")]
    [TestCase(0.0001, false, "+0.36/h")]
    [TestCase(0, false, "0/h")]
    [TestCase(double.NaN, false, "–")]
    public void Rates_carry_their_unit_and_sign_and_no_exponent(double perSecond, bool isBytes, string expected)
    {
        Assert.That(Readable.Rate(perSecond, isBytes), Is.EqualTo(expected));
    }

    [Test]
    public void A_rate_interval_is_in_the_rate_s_unit()
    {
        Assert.That(Readable.RateWithInterval(4, 3, 5, isBytes: false), Is.EqualTo("+14,400/h (95 % CI +10,800 … +18,000/h)"));
        Assert.That(Readable.RateWithInterval(614_700, 500_000, 700_000, isBytes: true), Is.EqualTo("+35.2 MiB/min (95 % CI +28.6 … +40.1 MiB/min)"));
        Assert.That(Readable.RateWithInterval(20_000, 8_000, 30_000, isBytes: true), Is.EqualTo("+1.14 MiB/min (95 % CI +469 KiB … +1.72 MiB/min)"));
    }

    [TestCase(0.5, "0.5")]
    [TestCase(3, "3")]
    [TestCase(1234.4, "1,234")]
    [TestCase(12.345, "12.3")]
    public void Counts_group_thousands(double value, string expected)
    {
        Assert.That(Readable.Count(value), Is.EqualTo(expected));
    }
}
