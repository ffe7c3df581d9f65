using System.Reflection;
using NUnit.Framework;

namespace LeakGuard.IntegrationTests.Hygiene;

/// <summary>
/// On a machine without Prometheus or Chromium, a fixture's one-time set-up is skipped before it starts anything;
/// its one-time tear-down then runs over an untouched fixture and must not throw (that turned the README's test
/// command red on a fresh machine).
/// </summary>
public sealed class SkippedFixtureTests
{
    private static IEnumerable<TestCaseData> FixturesWithTearDown =>
        typeof(SkippedFixtureTests).Assembly.GetTypes()
            .Where(t => t.GetMethods().Any(m => m.GetCustomAttribute<OneTimeSetUpAttribute>() is not null)
                        && t.GetMethods().Any(m => m.GetCustomAttribute<OneTimeTearDownAttribute>() is not null))
            .Select(t => new TestCaseData(t).SetArgDisplayNames(t.Name));

    [TestCaseSource(nameof(FixturesWithTearDown))]
    public async Task Tear_down_of_a_fixture_whose_set_up_never_ran_does_not_throw(Type fixture)
    {
        var instance = Activator.CreateInstance(fixture)!;
        var tearDown = fixture.GetMethods().Single(m => m.GetCustomAttribute<OneTimeTearDownAttribute>() is not null);

        var result = tearDown.Invoke(instance, null);
        if (result is Task task)
        {
            await task;
        }

        Assert.Pass($"{fixture.Name}.{tearDown.Name} ran over an untouched fixture");
    }
}
