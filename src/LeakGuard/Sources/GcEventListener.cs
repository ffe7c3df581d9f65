using System.Diagnostics.Tracing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LeakGuard.Sources;

/// <summary>
/// Listens in-process to the runtime's GC events (<c>Microsoft-Windows-DotNETRuntime</c>, GC keyword,
/// Informational — delivered through EventPipe, so it keeps working with <c>DOTNET_EnableDiagnostics=0</c>)
/// and raises <see cref="GcCompleted"/> once per collection, on the runtime's event-dispatch thread.
/// </summary>
/// <remarks>
/// <para>Timestamps are the events' own <see cref="EventWrittenEventArgs.TimeStamp"/> (UTC, taken by the runtime
/// when the event was written), not a <see cref="TimeProvider"/>: events reach the listener some milliseconds
/// late and in batches, so only the event time measures the pause and dates the collection correctly.</para>
/// <para>Payload fields are read by position and unboxed with type patterns, which allocates nothing;
/// the runtime itself allocates the <see cref="EventWrittenEventArgs"/> and its boxed payload per event
/// (see docs/performance.md for the measured cost per collection).</para>
/// <para>Nothing escapes the callback: a failure in decoding or in a handler is counted and logged once.</para>
/// </remarks>
internal sealed partial class GcEventListener : EventListener, IGcEventSource
{
    private const string RuntimeSourceName = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords GcKeyword = (EventKeywords)0x1;

    // Initialised before the base constructor runs (field initialisers run first in C#), so it is usable
    // from OnEventSourceCreated, which the base constructor calls for every existing source.
    private readonly object _gate = new();
    private readonly GcSampleBuilder _builder;
    private readonly ILogger _logger;
    private EventSource? _pendingSource;
    private EventSource? _runtimeSource;
    private bool _constructed;
    private bool _listening = true;
    private GcSampleDispatch _dispatch;

    /// <summary>Initializes a new instance of the <see cref="GcEventListener"/> class.</summary>
    /// <param name="logger">Receives a warning the first time decoding or a handler fails.</param>
    /// <param name="listening">Whether to enable the runtime's events at once (see <see cref="SetListening"/>).</param>
    public GcEventListener(ILogger? logger = null, bool listening = true)
    {
        _logger = logger ?? NullLogger.Instance;
        _builder = new GcSampleBuilder(Publish);

        // The base constructor already reported the runtime's source to OnEventSourceCreated, before the
        // fields above were set; it was parked there and is enabled now that the listener is ready.
        EventSource? source;
        lock (_gate)
        {
            _constructed = true;
            _listening = listening;
            source = _pendingSource;
            _pendingSource = null;
            _runtimeSource ??= source;
        }

        if (source is not null && listening)
        {
            EnableEvents(source, EventLevel.Informational, GcKeyword);
        }
    }

    /// <inheritdoc />
    public event Action<GcSample>? GcCompleted;

    /// <summary>Gets the number of samples produced.</summary>
    public long CompletedCount => _dispatch.CompletedCount;

    /// <summary>Gets the number of collections dropped because their events arrived incomplete.</summary>
    public long DroppedCount => Volatile.Read(ref _droppedCount);

    /// <summary>Gets the number of failures caught in decoding or in handlers.</summary>
    public long FaultCount => _dispatch.FaultCount;

    /// <inheritdoc />
    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name != RuntimeSourceName)
        {
            return;
        }

        lock (_gate)
        {
            if (!_constructed)
            {
                _pendingSource = eventSource;
                return;
            }

            _runtimeSource = eventSource;
            if (!_listening)
            {
                return;
            }
        }

        EnableEvents(eventSource, EventLevel.Informational, GcKeyword);
    }

    /// <summary>Enables or disables the runtime's GC events for this listener.</summary>
    /// <remarks>Must not be called on the runtime's event-dispatch thread (from a <see cref="GcCompleted"/> handler):
    /// disabling waits for that thread to stop. Each switch restarts the runtime's in-process event session
    /// (~0.5 ms, ~1.4 KB), which is shared by every <see cref="EventListener"/> of the runtime provider.</remarks>
    /// <param name="listening">Whether to listen.</param>
    public void SetListening(bool listening)
    {
        EventSource? source;
        lock (_gate)
        {
            if (_listening == listening)
            {
                return;
            }

            _listening = listening;
            source = _runtimeSource;
        }

        if (source is null)
        {
            return;
        }

        if (listening)
        {
            EnableEvents(source, EventLevel.Informational, GcKeyword);
        }
        else
        {
            DisableEvents(source);
        }
    }

    /// <inheritdoc />
    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        try
        {
            // The builder is null only if another listener's session delivered an event before our constructor ended.
            if (_builder is null || eventData.Payload is not { } payload)
            {
                return;
            }

            lock (_gate)
            {
                Dispatch(eventData.EventId, eventData.TimeStamp, payload);
                Volatile.Write(ref _droppedCount, _builder.DroppedCount);
            }
        }
#pragma warning disable CA1031 // Nothing may escape into the runtime's dispatch thread.
        catch (Exception e)
#pragma warning restore CA1031
        {
            OnFault(e);
        }
    }

    private void Publish(GcSample sample) => _dispatch.Publish(GcCompleted, sample, _logger);

    private void OnFault(Exception e) => _dispatch.OnFault(e, _logger);
}
