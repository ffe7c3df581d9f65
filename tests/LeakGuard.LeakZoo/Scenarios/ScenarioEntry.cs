namespace LeakGuard.LeakZoo.Scenarios;

/// <summary>A scenario's name, whether it leaks, its default rate and how to build it.</summary>
internal sealed record ScenarioEntry(string Name, bool IsLeak, double DefaultRate, string RateUnit, Func<double, IZooScenario> Create);
