using System.Diagnostics;
using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;

namespace LeakGuard.Investigation;

/// <summary>
/// Takes a heap snapshot of the own process: an EventPipe session through the diagnostics IPC channel with the
/// runtime provider's <c>GCHeapSnapshot</c> keywords makes the runtime run a blocking gen2 GC and stream every
/// live object, reference and root; a dedicated thread parses the stream into a <see cref="HeapGraphBuilder"/>.
/// </summary>
/// <remarks>
/// The reader thread is suspended with the rest of the process during the heap-dump GC, so the whole dump must
/// fit the session buffer; when it does not, the runtime drops events and the snapshot is reported as failed
/// (<see cref="HeapSnapshotException.EventsWereLost"/>) — never as a partial graph.
/// </remarks>
internal sealed class HeapSnapshotter
{
    /// <summary>GC | GCHeapCollect | GCHeapDump | GCHeapAndTypeNames | Type (TraceEvent's <c>GCHeapSnapshot</c>).</summary>
    public const long HeapSnapshotKeywords = 0x1980001;

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(2);

    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _timeout;

    /// <summary>Initializes a new instance of the <see cref="HeapSnapshotter"/> class.</summary>
    /// <param name="timeProvider">The clock for <see cref="HeapSnapshot.TakenAt"/>.</param>
    /// <param name="timeout">How long to wait for the heap-dump GC to complete.</param>
    public HeapSnapshotter(TimeProvider timeProvider, TimeSpan timeout)
    {
        _timeProvider = timeProvider;
        _timeout = timeout;
    }

    /// <summary>Takes one snapshot.</summary>
    /// <param name="bufferMegabytes">The session buffer size.</param>
    /// <param name="cancellationToken">Cancels the snapshot (the session is stopped).</param>
    /// <returns>The snapshot.</returns>
    /// <exception cref="HeapSnapshotException">The snapshot failed or was incomplete.</exception>
    /// <exception cref="ServerNotAvailableException">The diagnostics IPC channel is disabled.</exception>
    public async Task<HeapSnapshot> TakeAsync(int bufferMegabytes, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var takenAt = _timeProvider.GetUtcNow();
        var stopwatch = Stopwatch.StartNew();
        var gen2Before = GC.CollectionCount(2);
        var client = new DiagnosticsClient(Environment.ProcessId);
        var configuration = new EventPipeSessionConfiguration(
            [new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Verbose, HeapSnapshotKeywords)],
            bufferMegabytes,
            rundownKeyword: 0,
            requestStackwalk: false);
        using var session = await client.StartEventPipeSessionAsync(configuration, cancellationToken).ConfigureAwait(false);
        var reader = new HeapDumpReader(session.EventStream);
        var thread = new Thread(reader.Run) { IsBackground = true, Name = "LeakGuard heap snapshot" };
        thread.Start();

        Exception? failure = null;
        var readTime = TimeSpan.Zero;
        try
        {
            await WaitForDumpAsync(reader, gen2Before, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex)
        {
            failure = ex;
        }
        catch (HeapSnapshotException ex)
        {
            failure = ex;
        }
        finally
        {
            readTime = stopwatch.Elapsed;
            try
            {
                await session.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ServerErrorException or IOException or TimeoutException or ObjectDisposedException)
            {
                // The session may already be gone (the stream ended); the reader's end is what matters.
            }

            await reader.Finished.ConfigureAwait(false);
        }

        if (failure is not null)
        {
            reader.Builder.Discard();
            throw failure;
        }

        if (reader.Error is { } error)
        {
            reader.Builder.Discard();
            throw new HeapSnapshotException("Reading the heap-dump events failed: " + error.Message, error);
        }

        if (reader.EventsLost > 0)
        {
            reader.Builder.Discard();
            throw new HeapSnapshotException($"The session lost {reader.EventsLost} events: its {bufferMegabytes} MB buffer was too small for the heap.") { EventsWereLost = true };
        }

        if (!reader.DumpSeen)
        {
            reader.Builder.Discard();
            throw new HeapSnapshotException("The heap-dump GC's end never arrived: the session buffer overflowed.") { EventsWereLost = true };
        }

        var stopTime = stopwatch.Elapsed - readTime;
        var graph = reader.Builder.Build();
        return new HeapSnapshot(graph, takenAt, stopwatch.Elapsed, reader.Pause, bufferMegabytes) 
        {
            BuilderPeakBytes = reader.Builder.PeakBytes,
            ReadTime = readTime,
            StopTime = stopTime,
            BuildTime = stopwatch.Elapsed - readTime - stopTime,
        };
    }

    private async Task WaitForDumpAsync(HeapDumpReader reader, int gen2Before, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (!reader.DumpCompleted.IsCompleted)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (waited.Elapsed > _timeout)
            {
                throw new HeapSnapshotException($"The heap-dump GC did not complete within {_timeout.TotalSeconds:0} s.");
            }

            // When the buffer overflows, the GC's end event is among the dropped ones: the dump GC has run (the
            // gen2 count moved) and the stream went quiet. Stop waiting; the missing end marks the snapshot failed.
            if (GC.CollectionCount(2) > gen2Before && reader.IdleFor > QuietPeriod)
            {
                return;
            }

            await Task.WhenAny(reader.DumpCompleted, Task.Delay(PollInterval, cancellationToken)).ConfigureAwait(false);
        }
    }
}
