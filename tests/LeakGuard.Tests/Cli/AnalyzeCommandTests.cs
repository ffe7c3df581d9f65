using System.Text.Json;
using LeakGuard.Cli;
using NUnit.Framework;

namespace LeakGuard.Tests.Cli;

public sealed class AnalyzeCommandTests
{
    private static string Fixture(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "Detection", name);

    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = LeakGuardCommand.Invoke(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Test]
    public void Analyze_reports_a_leak_with_exit_code_2()
    {
        var (exit, output, error) = Run("analyze", Fixture("leak.csv"), "--limit", "4000000000");
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(2), error);

            // A clear rise may go straight to Leaking: the timeline shows the state it entered and why.
            Assert.That(output, Does.Contain("Leaking"));
            Assert.That(output, Does.Contain("Result: LEAK"));
            Assert.That(output, Does.Contain("limit in"));
        });
    }

    [Test]
    public void Analyze_reports_no_leak_with_exit_code_0_on_a_headerless_file()
    {
        var (exit, output, error) = Run("analyze", Fixture("flat.csv"));
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(0), error);
            Assert.That(output, Does.Contain("Result: no leak"));
            Assert.That(output, Does.Not.Contain("Leaking "));
        });
    }

    [Test]
    public void Analyze_reads_iso_timestamps_and_counts()
    {
        var (exit, output, error) = Run("analyze", Fixture("iso.csv"), "--signal", "threads", "--window", "5m", "--warm-up", "0s");
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(0), error);
            Assert.That(output, Does.Contain("20 values of threads"));
            Assert.That(output, Does.Contain("2026-01-01T00:00:00Z"));
        });
    }

    [Test]
    public void Analyze_prints_json_with_the_timeline()
    {
        var (exit, output, _) = Run("analyze", Fixture("leak.csv"), "--format", "json", "--limit", "4000000000");
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(root.GetProperty("leak").GetBoolean(), Is.True);
            Assert.That(root.GetProperty("values").GetInt32(), Is.EqualTo(2400));
            Assert.That(root.GetProperty("timeline").EnumerateArray().Select(v => v.GetProperty("state").GetString()), Does.Contain("Leaking"));
            Assert.That(root.GetProperty("final").GetProperty("growthRatePerSecond").GetDouble(), Is.EqualTo(1e6).Within(2e5));
            Assert.That(root.GetProperty("final").GetProperty("timeToLimitSeconds").GetDouble(), Is.GreaterThan(0));
        });
    }

    [TestCase("bad-number.csv", "line 3: cannot read value '10O' as a number")]
    [TestCase("nan.csv", "line 4: the value is NaN")]
    [TestCase("backwards.csv", "line 3: timestamp 2026-01-01T00:00:05Z goes backwards")]
    [TestCase("empty.csv", "the file is empty")]
    [TestCase("header-only.csv", "has a header but no data rows")]
    [TestCase("unknown-column.csv", "line 1: unknown column 'heap'")]
    [TestCase("wrong-columns.csv", "line 3: expected 2 columns")]
    [TestCase("does-not-exist.csv", "cannot read")]
    public void Analyze_rejects_bad_input_with_one_clear_line_and_exit_code_1(string file, string message)
    {
        var (exit, output, error) = Run("analyze", Fixture(file));
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(error, Does.Contain(message));
            Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1));
            Assert.That(error + output, Does.Not.Contain("   at "));
        });
    }

    [Test]
    public void Analyze_names_a_timestamp_in_milliseconds_as_the_bad_timestamp_it_is()
    {
        // A headerless file of Unix milliseconds: its first time, no readable timestamp, made the first line a header, and the
        // file was refused for an unknown column named '1767225600000'.
        var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "milliseconds.csv");
        File.WriteAllLines(path, ["1767225600000,100", "1767225601000,101"]);
        var (exit, output, error) = Run("analyze", path);
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(output, Is.Empty, "nothing analysed");
            Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1));
            Assert.That(error, Does.Contain("line 1: timestamp '1767225600000' is outside 1970–2199").And.Contain("divide them by 1000"));
        });
    }

    [Test]
    public void Analyze_reads_quoted_fields_as_their_contents()
    {
        // Exporters quote fields: a quoted Unix time was refused ("cannot read timestamp '"1767225600"'"), though a quoted
        // ISO time and a quoted header were read.
        var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "quoted.csv");
        File.WriteAllLines(path, File.ReadLines(Fixture("leak.csv")).Select(l => string.Join(",", l.Split(',').Select(f => $"\"{f}\""))));
        var (exit, output, error) = Run("analyze", path, "--format", "json", "--limit", "4000000000");
        var (plainExit, plain, _) = Run("analyze", Fixture("leak.csv"), "--format", "json", "--limit", "4000000000");
        Assert.That(exit, Is.EqualTo(plainExit), error);
        using var quoted = JsonDocument.Parse(output);
        using var unquoted = JsonDocument.Parse(plain);
        Assert.Multiple(() =>
        {
            Assert.That(quoted.RootElement.GetProperty("values").GetInt32(), Is.EqualTo(unquoted.RootElement.GetProperty("values").GetInt32()));
            Assert.That(quoted.RootElement.GetProperty("timeline").GetRawText(), Is.EqualTo(unquoted.RootElement.GetProperty("timeline").GetRawText()));
        });
    }

    [Test]
    public void Analyze_picks_a_named_column_with_signal()
    {
        var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "named-column.csv");
        File.WriteAllLines(path, ["timestamp,heap", "1767225600,100", "1767225601,101"]);
        var (exit, output, error) = Run("analyze", path, "--signal", "heap");
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(0), error);
            Assert.That(output, Does.Contain("2 values of heap"));
        });
    }

    [Test]
    public void Analyze_rejects_an_unknown_signal_naming_the_valid_ones_in_one_line()
    {
        var (exit, output, error) = Run("analyze", Fixture("leak.csv"), "--signal", "bogus");
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(output, Is.Empty, "nothing analysed");
            Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1));
            Assert.That(error, Does.Contain("--signal 'bogus'").And.Contain("managed_heap").And.Contain("retained_objects"));
        });
    }

    [Test]
    public void Analyze_prints_rates_and_their_interval_with_units_and_no_exponent()
    {
        var (_, output, _) = Run("analyze", Fixture("leak.csv"), "--limit", "4000000000");
        var leaking = output.Split('\n').First(l => l.Contains("  Leaking ", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(leaking, Does.Match(@"\+[0-9.]+ MiB/min \(95 % CI \+[0-9.]+ … \+[0-9.]+ MiB/min\)"));
            Assert.That(leaking, Does.Not.Match("[0-9]E[+-]?[0-9]+ "), "no exponent in amounts");
            Assert.That(leaking, Does.Match(@"limit in [0-9]+ (min|h)"));
            Assert.That(output, Does.Not.Contain(" KB").And.Not.Contain(" MB"));
        });
    }

    [Test]
    public void Analyze_gives_a_stable_signal_no_time_to_the_limit()
    {
        var (_, output, _) = Run("analyze", Fixture("flat.csv"), "--limit", "4000000000");
        var stable = output.Split('\n').Where(l => l.Contains("  Stable ", StringComparison.Ordinal)).ToArray();
        Assert.That(stable, Is.Not.Empty);
        Assert.That(stable, Has.None.Contain("limit in"));
    }

    [Test]
    public void Analyze_says_when_it_raises_the_window_for_a_sparse_file()
    {
        var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "sparse.csv");
        File.WriteAllLines(path, Enumerable.Range(0, 400).Select(i => $"{1767225600 + (i * 30)},{100_000_000 + (i % 7)}"));
        var (_, output, error) = Run("analyze", path, "--window", "10m");
        Assert.That(output, Does.Contain("Window raised from 10 min to 1 h 4 min: at one value every 30 s, a window needs 128 values"), error);
        using var json = JsonDocument.Parse(Run("analyze", path, "--window", "10m", "--format", "json").Output);
        Assert.That(json.RootElement.GetProperty("requestedWindowSeconds").GetDouble(), Is.EqualTo(600));
        Assert.That(json.RootElement.GetProperty("windowSeconds").GetDouble(), Is.EqualTo(3840));
    }

    [Test]
    public void Analyze_names_the_horizons_the_file_is_too_short_for()
    {
        var (_, output, _) = Run("analyze", Fixture("leak.csv"));
        Assert.That(output, Does.Contain("Horizons 10 min, 40 min (2 h 40 min, 10 h 40 min, 42 h 40 min need more history than the file's 40 min)"));
    }

    [Test]
    public void Usage_names_the_tool_as_it_is_installed()
    {
        var (_, output, _) = Run("--help");
        Assert.That(output, Does.Contain("leakguard [command] [options]").And.Not.Contain("LeakGuard.Cli"));
    }

    [TestCase("--window", "soon")]
    [TestCase("--warm-up", "-5m")]
    [TestCase("--limit", "-1")]
    public void Analyze_rejects_bad_options_with_exit_code_1(string option, string value)
    {
        var (exit, _, error) = Run("analyze", Fixture("flat.csv"), option, value);
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(error, Does.Contain(option).Or.Contain("error"));
        });
    }

    [TestCase("30s", 30)]
    [TestCase("10m", 600)]
    [TestCase("2h", 7200)]
    [TestCase("1d", 86400)]
    [TestCase("00:10:00", 600)]
    [TestCase("45", 45)]
    public void Durations_accept_units_and_timespans(string text, double seconds)
    {
        Assert.That(DurationParser.TryParse(text, out var value), Is.True);
        Assert.That(value.TotalSeconds, Is.EqualTo(seconds));
    }

    [Test]
    public void Request_for_a_file_alone_carries_the_command_defaults()
    {
        var request = AnalyzeCommand.Request("trace.csv");
        Assert.Multiple(() =>
        {
            Assert.That(request.Path, Is.EqualTo("trace.csv"));
            Assert.That(request.Signal, Is.EqualTo(LeakSignals.ManagedHeap));
            Assert.That(request.Sensitivity, Is.EqualTo(DetectionSensitivity.Normal));
            Assert.That(request.Limit, Is.Null);
            Assert.That(request.Window, Is.Null);
            Assert.That(request.WarmUp, Is.Null);
            Assert.That(request.Json, Is.False);
        });
    }

    [Test]
    public void Request_refuses_arguments_the_command_would_refuse()
    {
        Assert.That(() => AnalyzeCommand.Request("trace.csv", "--limit", "lots"), Throws.ArgumentException.With.Message.Contains("--limit"));
    }

    private static string Written(string name, params string[] lines)
    {
        var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    private static void AssertOneLineError((int Exit, string Output, string Error) run, string message)
    {
        Assert.Multiple(() =>
        {
            Assert.That(run.Exit, Is.EqualTo(1), run.Error);
            Assert.That(run.Error, Does.Contain(message));
            Assert.That(run.Error.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1), run.Error);
            Assert.That(run.Error + run.Output, Does.Not.Contain("   at ").And.Not.Contain("Exception"));
        });
    }

    [TestCase("negative-unix.csv", "timestamp,value|-5,1|-4,2", "line 2: timestamp '-5' is outside 1970")]
    [TestCase("year-1-to-9999.csv", "timestamp,value|0001-01-01T00:00:00Z,1|9999-12-31T00:00:00Z,2", "line 2: timestamp '0001-01-01T00:00:00Z' is outside")]
    [TestCase("far-unix.csv", "1,1|250000000000,2", "line 2: timestamp '250000000000' is outside")]
    [TestCase("semicolons.csv", "timestamp;value|1767225600;1", "line 1: the fields are separated by ';'")]
    [TestCase("semicolons-headerless.csv", "1767225600;1|1767225601;2", "line 1: the fields are separated by ';'")]
    [TestCase("tabs.csv", "1767225600\t1", "line 1: the fields are separated by tabs")]
    public void Analyze_rejects_hostile_csv_with_one_line_and_exit_code_1(string name, string content, string message) =>
        AssertOneLineError(Run("analyze", Written(name, content.Split('|'))), message);

    [Test]
    public void Analyze_rejects_rows_that_all_share_one_timestamp()
    {
        var rows = Enumerable.Range(0, 500).Select(i => $"1767225600,{i}").Prepend("timestamp,value").ToArray();

        AssertOneLineError(Run("analyze", Written("one-timestamp.csv", rows)), "all 500 rows have the timestamp 2026-01-01T00:00:00Z");
    }

    [Test]
    public void Analyze_streams_an_endless_file_and_stops_at_the_first_overlong_line()
    {
        Assume.That(File.Exists("/dev/zero"), "a Unix device file");

        AssertOneLineError(Run("analyze", "/dev/zero"), "line 1 is longer than 4096 characters");
    }

    [Test]
    public void Analyze_reports_an_unreadable_file_in_one_line() =>
        AssertOneLineError(Run("analyze", TestContext.CurrentContext.WorkDirectory), "cannot read");

    [TestCase("--warm-up", "9999999d", "--warm-up '9999999d' is longer than 365 days")]
    [TestCase("--warm-up", "999999999d", "--warm-up '999999999d' is longer than 365 days")]
    [TestCase("--window", "10675199.02:48:05", "--window '10675199.02:48:05' is longer than 365 days")]
    [TestCase("--window", "1e300s", "--window '1e300s' is longer than 365 days")]
    [TestCase("--sensitivity", "7", "--sensitivity '7' is not one of Low, Normal, High")]
    [TestCase("--sensitivity", "Paranoid", "--sensitivity 'Paranoid' is not one of Low, Normal, High")]
    [TestCase("--format", "xml", "'xml'")]
    [TestCase("--urgency-horizon", "40d", "--urgency-horizon '40d' is longer than 30 days")]
    [TestCase("--urgency-horizon", "soon", "--urgency-horizon 'soon' is not a duration")]
    [TestCase("--urgency-horizon", "-1h", "--urgency-horizon '-1h' is not a duration")]
    [TestCase("--limit", "0x10", "--limit '0x10' is not a number")]
    [TestCase("--limit", "4GB", "--limit '4GB' is not a number")]
    [TestCase("--limit", "-5", "--limit must be a positive number")]
    public void Analyze_rejects_absurd_options_with_one_line_and_exit_code_1(string option, string value, string message) =>
        AssertOneLineError(Run("analyze", Fixture("flat.csv"), option, value), message);

    [Test]
    public void Analyze_takes_sensitivity_by_name_in_any_case()
    {
        var (exit, _, error) = Run("analyze", Fixture("flat.csv"), "--sensitivity", "high");

        Assert.That(exit, Is.Zero, error);
    }

    [Test]
    public void Analyze_urgency_horizon_0_turns_urgency_off()
    {
        // A leak of ~58 MiB/min towards a 4 GB limit: the command's default horizon (6 h) keeps it Leaking by urgency at
        // the end; with urgency off the same rise is held Leaking by the model comparison alone, and no verdict gives
        // urgency as its reason.
        var (defaultExit, withUrgency, defaultError) = Run("analyze", Fixture("leak.csv"), "--limit", "4000000000");
        var (offExit, withoutUrgency, offError) = Run("analyze", Fixture("leak.csv"), "--limit", "4000000000", "--urgency-horizon", "0");

        Assert.Multiple(() =>
        {
            Assert.That(defaultExit, Is.EqualTo(2), defaultError);
            Assert.That(offExit, Is.EqualTo(2), offError);
            Assert.That(withUrgency, Does.Contain("within the urgency horizon"));
            Assert.That(withoutUrgency, Does.Not.Contain("within the urgency horizon"));
        });
    }

    [Test]
    public void Analyze_escapes_control_characters_of_the_input_in_what_it_prints()
    {
        var path = Written("escape.csv", "timestamp,value", "1767225600,1\u001b]0;pwned\u0007\u001b[2J");

        var (exit, output, error) = Run("analyze", path);

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error, Does.Contain("\\u001B]0;pwned\\u0007\\u001B[2J"));
        Assert.That(error + output, Has.None.Matches<char>(c => char.IsControl(c) && c != '\n'));
    }

    [Test]
    public void An_unknown_command_is_one_line_not_the_help()
    {
        var (exit, output, error) = Run("frobnicate");

        AssertOneLineError((exit, output, error), "error:");
        Assert.That(output, Is.Empty);
    }
}
