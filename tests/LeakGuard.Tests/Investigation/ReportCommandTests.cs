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

            Assert.That(exit, Is.EqualTo(2));
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

        Assert.That(exit, Is.EqualTo(2));
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
}
