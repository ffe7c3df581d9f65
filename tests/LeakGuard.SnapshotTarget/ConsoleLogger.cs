using Microsoft.Extensions.Logging;

namespace LeakGuard.SnapshotTarget;

/// <summary>Writes log lines as "[eventId] Level: message" so the parent test can read them.</summary>
internal sealed class ConsoleLogger : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Console.WriteLine($"[{eventId.Id}] {logLevel}: {formatter(state, exception)}");
}
