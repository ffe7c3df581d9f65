using System.Globalization;
using System.Text;
using LeakGuard.Cli;
using LeakGuard.Tests.Investigation;
using NUnit.Framework;

namespace LeakGuard.Tests.Cli;

/// <summary>
/// Random bytes and mutated valid files through <c>leakguard analyze</c> and <c>leakguard report</c>: whatever the
/// input, the exit code is 0, 1 or 2, standard error holds at most one line and never a stack trace, and the
/// allocation stays bounded by the input's size. Seeded, so a failure names a reproducible case.
/// </summary>
[NonParallelizable]
public sealed class InputFuzzTests
{
    private const int Cases = 250;

    // Generous: a 16 KB input replays at most a few hundred values; reading a file whole or looping on a gap costs far more.
    private const long MaxAllocatedBytes = 256L * 1024 * 1024;

    private static readonly string[] Tokens =
    [
        ",", ";", "\t", "\n", "\r\n", "\"", "#", "NaN", "Infinity", "-1e309", "1e308", "-0", "1e-320", "null", "{", "}",
        "[", "]", ":", "-62135596800", "253402300799", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "\u001b]0;x\u0007",
        "\u001b[2J", "\u202e", "\0", "9223372036854775807", "-9223372036854775808", "timestamp,value", "\"type\":",
        "\"timeToLimitSeconds\":1e300", "\"growingTypes\":null", "\"path\":[null]",
    ];

    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("leakguard-fuzz-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void Analyze_survives_random_bytes()
    {
        var random = new Random(1901);
        Fuzz("analyze", seed: 1901, _ => RandomBytes(random));
    }

    [Test]
    public void Analyze_survives_mutated_series()
    {
        var valid = Encoding.UTF8.GetBytes(ValidSeries());
        var random = new Random(1902);
        var exits = Fuzz("analyze", seed: 1902, _ => Mutate(valid, random));

        // The mutations reach both sides: some files still replay, others are refused.
        Assert.That(exits.Keys, Is.SupersetOf(new[] { 1 }).And.Contains(0).Or.Contains(2));
    }

    [Test]
    public void Report_survives_random_bytes()
    {
        var random = new Random(1903);
        Fuzz("report", seed: 1903, _ => RandomBytes(random));
    }

    [Test]
    public void Report_survives_mutated_reports()
    {
        var valid = File.ReadAllBytes(Reports.FixturePath);
        var random = new Random(1904);
        var exits = Fuzz("report", seed: 1904, _ => Mutate(valid, random));

        Assert.That(exits.Keys, Is.EquivalentTo(new[] { 0, 1 }));
    }

    private static string ValidSeries()
    {
        var text = new StringBuilder("timestamp,value\n");
        for (var i = 0; i < 400; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{1767225600 + i},{100_000_000 + (i * 50_000) + ((i * 7919) % 13 * 1000)}\n");
        }

        return text.ToString();
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 4096)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Mutate(byte[] valid, Random random)
    {
        var bytes = new List<byte>(valid);
        var mutations = random.Next(1, 6);
        for (var m = 0; m < mutations && bytes.Count > 0; m++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 2:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 64)));
                    break;
                case 3:
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(Tokens[random.Next(Tokens.Length)]));
                    break;
                case 4:
                    var length = Math.Min(bytes.Count - at, random.Next(1, 256));
                    bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(at, length));
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }

        return [.. bytes];
    }

    private Dictionary<int, int> Fuzz(string command, int seed, Func<int, byte[]> input)
    {
        var exits = new Dictionary<int, int>();
        var failures = new List<string>();
        for (var i = 0; i < Cases && failures.Count < 5; i++)
        {
            var bytes = input(i);
            var path = Path.Combine(_directory, string.Create(CultureInfo.InvariantCulture, $"case-{seed}-{i}.in"));
            File.WriteAllBytes(path, bytes);
            var output = new StringWriter();
            var error = new StringWriter();
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

            var exit = LeakGuardCommand.Invoke([command, path], output, error);

            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            exits[exit] = exits.GetValueOrDefault(exit) + 1;
            var problem = Problem(exit, error.ToString(), output.ToString(), allocated);
            if (problem is not null)
            {
                var kept = Path.Combine(TestContext.CurrentContext.WorkDirectory, Path.GetFileName(path));
                File.Copy(path, kept, overwrite: true);
                failures.Add($"case {i} ({kept}): {problem}");
            }
        }

        Assert.That(failures, Is.Empty, string.Join("\n", failures));
        TestContext.Out.WriteLine($"exit codes over {Cases} cases: {string.Join(", ", exits.OrderBy(e => e.Key).Select(e => $"{e.Key}: {e.Value}"))}");
        return exits;
    }

    private static string? Problem(int exit, string error, string output, long allocated)
    {
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (exit is not (0 or 1 or 2))
        {
            return $"exit {exit}: {error}";
        }

        if (exit == 1 ? lines.Length != 1 : lines.Length != 0)
        {
            return $"exit {exit} with {lines.Length} lines on stderr: {error}";
        }

        if ((error + output).Contains("   at ", StringComparison.Ordinal) || (error + output).Any(c => char.IsControl(c) && c != '\n'))
        {
            return $"a stack trace or a raw control character: {error}";
        }

        return allocated > MaxAllocatedBytes ? $"allocated {allocated / (1024 * 1024)} MB" : null;
    }
}
