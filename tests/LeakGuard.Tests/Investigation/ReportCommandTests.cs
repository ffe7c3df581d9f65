using LeakGuard.Cli.Commands;
using NUnit.Framework;

namespace LeakGuard.Tests.Investigation;

public class ReportCommandTests
{
    [Test]
    public async Task Report_command_prints_the_report_as_a_tree()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await ReportCommand.PrintAsync(new FileInfo(Reports.FixturePath), output, error, CancellationToken.None);

        Assert.That(exit, Is.Zero);
        Assert.That(output.ToString(), Does.Contain("├─ MyApp.Session  +120,000 objects").And.Contain("98% held by static field Sessions").And.Contain("→ Dictionary.Entry<Guid, MyApp.Session>[]"));
        Assert.That(error.ToString(), Is.Empty);
    }

    [Test]
    public async Task Report_command_fails_on_a_missing_file()
    {
        var error = new StringWriter();

        var exit = await ReportCommand.PrintAsync(new FileInfo("/nonexistent/report.json"), TextWriter.Null, error, CancellationToken.None);

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error.ToString(), Does.Contain("no such report file"));
    }

    [Test]
    public async Task Report_command_rejects_json_that_is_not_a_report()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, "{\"hello\": 1}");
            var error = new StringWriter();

            var exit = await ReportCommand.PrintAsync(new FileInfo(path), TextWriter.Null, error, CancellationToken.None);

            Assert.That(exit, Is.EqualTo(1), "bad input is 1 in both commands; 2 is analyze's leak");
            Assert.That(error.ToString(), Does.Contain("is not a LeakGuard report"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public async Task Report_command_on_a_csv_says_where_the_json_breaks_without_quoting_the_file()
    {
        var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "series.csv");
        await File.WriteAllLinesAsync(path, ["timestamp,value", .. Enumerable.Range(0, 2000).Select(i => $"{1767225600 + i},{200_000_000 + i}")]);
        var error = new StringWriter();

        var exit = await ReportCommand.PrintAsync(new FileInfo(path), TextWriter.Null, error, CancellationToken.None);

        Assert.That(exit, Is.EqualTo(1), "bad input is 1 in both commands; 2 is analyze's leak");
        Assert.That(error.ToString().TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(error.ToString(), Does.Contain("series.csv is not a LeakGuard report").And.Not.Contain("1767225600"));
        Assert.That(error.ToString().Length, Is.LessThan(300));
    }

    [Test]
    public void Report_command_parses_its_file_argument()
    {
        var command = ReportCommand.Create();

        var result = command.Parse(["some.json"]);

        Assert.That(result.Errors, Is.Empty);
        Assert.That(command.Name, Is.EqualTo("report"));
    }

    private static async Task<(int Exit, string Output, string Error)> PrintAsync(string path)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await ReportCommand.PrintAsync(new FileInfo(path), output, error, CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    private static async Task<string> FixtureWith(string name, Action<System.Text.Json.Nodes.JsonNode> change)
    {
        var report = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Reports.FixturePath))!;
        change(report);
        var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, name);
        await File.WriteAllTextAsync(path, report.ToJsonString());
        return path;
    }

    [TestCase("signal", "$.signal is null")]
    [TestCase("snapshots", "$.snapshots is null")]
    [TestCase("growingTypes", "$.growingTypes is null")]
    public async Task Report_command_names_a_null_member_in_one_line(string member, string message)
    {
        var path = await FixtureWith($"null-{member}.json", r => r[member] = null);

        var (exit, output, error) = await PrintAsync(path);

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error, Does.Contain(message));
        Assert.That(error.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1));
        Assert.That(output, Is.Empty);
    }

    [Test]
    public async Task Report_command_names_null_entries_deep_in_the_report()
    {
        var type = await FixtureWith("null-type.json", r => r["growingTypes"]![1]!["type"] = null);
        var step = await FixtureWith("null-step.json", r => r["growingTypes"]![0]!["retentionPaths"]![0]!["path"]![1] = null);
        var entry = await FixtureWith("null-entry.json", r => r["growingTypes"]![0] = null);

        Assert.That((await PrintAsync(type)).Error, Does.Contain("$.growingTypes[1].type is null"));
        Assert.That((await PrintAsync(step)).Error, Does.Contain("$.growingTypes[0].retentionPaths[0].path[1] is null"));
        Assert.That((await PrintAsync(entry)).Error, Does.Contain("$.growingTypes[0] is null"));
    }

    [TestCase("timeToLimitSeconds", 1e300, "$.timeToLimitSeconds 1E+300 is out of range")]
    [TestCase("timeToLimitSeconds", -5.0, "$.timeToLimitSeconds -5 is out of range")]
    [TestCase("growthBytesPerSecond", 1e300, "$.growthBytesPerSecond 1E+300 is out of range")]
    public async Task Report_command_rejects_numbers_no_report_holds(string member, double value, string message)
    {
        var path = await FixtureWith($"{member}-{value}.json", r => r[member] = value);

        var (exit, _, error) = await PrintAsync(path);

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error, Does.Contain(message).And.Not.Contain("   at "));
    }

    [Test]
    public async Task Report_command_escapes_terminal_control_sequences_in_type_names()
    {
        var path = await FixtureWith("escape.json", r => r["growingTypes"]![0]!["type"] = "Evil\u001b]0;pwned\u0007\u001b[2J");

        var (exit, output, _) = await PrintAsync(path);

        Assert.That(exit, Is.Zero);
        Assert.That(output, Does.Contain("Evil\\u001B]0;pwned\\u0007\\u001B[2J"));
        Assert.That(output, Has.None.Matches<char>(c => char.IsControl(c) && c != '\n'));
    }

    [Test]
    public async Task Report_command_streams_an_endless_file_and_stops_with_one_line()
    {
        Assume.That(File.Exists("/dev/zero"), "a Unix device file");

        var (exit, _, error) = await PrintAsync("/dev/zero");

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task Report_command_stops_reading_at_its_size_bound()
    {
        // A JSON string that never ends: the reader would buffer it whole without the bound.
        var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "endless-string.json");
        await using (var file = File.Create(path))
        {
            await file.WriteAsync("{\"signal\":\""u8.ToArray());
            var chunk = new byte[1024 * 1024];
            Array.Fill(chunk, (byte)'a');
            for (var i = 0; i <= ReportCommand.MaxBytes / chunk.Length; i++)
            {
                await file.WriteAsync(chunk);
            }
        }

        try
        {
            var (exit, _, error) = await PrintAsync(path);

            Assert.That(exit, Is.EqualTo(1));
            Assert.That(error, Does.Contain("larger than 64 MiB"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
