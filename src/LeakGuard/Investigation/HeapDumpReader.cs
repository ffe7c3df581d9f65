using System.Buffers.Binary;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace LeakGuard.Investigation;

/// <summary>
/// Parses one heap-dump EventPipe stream on its own thread into a <see cref="HeapGraphBuilder"/>: it picks the
/// induced blocking gen2 GC that carries the dump, and times that GC's pause from the suspend/restart events.
/// </summary>
internal sealed class HeapDumpReader
{
    // GCBulkNode / GCBulkEdge payloads: Index (u32), Count (u32), ClrInstanceID (u16), then the records —
    // node: Address, Size, TypeID, EdgeCount (4 × u64); edge: Target (pointer), ReferencingFieldID (u32).
    private const int BulkHeaderBytes = 10;
    private const int NodeRecordBytes = 32;
    private const int EdgeRecordBytes = 12;

    private readonly Stream _stream;
    private readonly TaskCompletionSource _dumpCompleted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _gcNumber = -1;
    private bool _inDump;
    private bool _done;
    private long _lastEventTicks = Environment.TickCount64;
    private double _lastSuspendMs = double.NaN;
    private double _pauseStartMs = double.NaN;

    /// <summary>Initializes a new instance of the <see cref="HeapDumpReader"/> class.</summary>
    /// <param name="stream">The session's event stream.</param>
    public HeapDumpReader(Stream stream) => _stream = stream;

    /// <summary>Gets the builder the events go to.</summary>
    public HeapGraphBuilder Builder { get; } = new();

    /// <summary>Gets a task that completes when the heap-dump GC has ended (all its events were read).</summary>
    public Task DumpCompleted => _dumpCompleted.Task;

    /// <summary>Gets a task that completes when the stream has ended.</summary>
    public Task Finished => _finished.Task;

    /// <summary>Gets the number of events the session reported lost.</summary>
    public int EventsLost { get; private set; }

    /// <summary>Gets the exception that ended reading, if any.</summary>
    public Exception? Error { get; private set; }

    /// <summary>Gets a value indicating whether the heap-dump GC's end was read.</summary>
    public bool DumpSeen => Volatile.Read(ref _done);

    /// <summary>Gets how long ago the last event arrived.</summary>
    public TimeSpan IdleFor => TimeSpan.FromMilliseconds(Environment.TickCount64 - Volatile.Read(ref _lastEventTicks));

    /// <summary>Gets the heap-dump GC's pause.</summary>
    public TimeSpan Pause { get; private set; }

    /// <summary>Reads the stream to its end; runs on the dedicated thread.</summary>
    public void Run()
    {
        try
        {
            using var source = new EventPipeEventSource(_stream);
            Subscribe(source.Clr);
            source.Process();
            EventsLost = source.EventsLost;
        }
#pragma warning disable CA1031 // The thread must never crash the host; the failure is reported to the caller.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Error = ex;
        }
        finally
        {
            _dumpCompleted.TrySetResult();
            _finished.TrySetResult();
        }
    }

    private void Subscribe(ClrTraceEventParser clr)
    {
        clr.GCSuspendEEStart += data => _lastSuspendMs = data.TimeStampRelativeMSec;
        clr.GCRestartEEStop += data =>
        {
            if (_done && !double.IsNaN(_pauseStartMs) && Pause == TimeSpan.Zero)
            {
                Pause = TimeSpan.FromMilliseconds(data.TimeStampRelativeMSec - _pauseStartMs);
            }
        };
        clr.GCStart += data =>
        {
            if (_gcNumber < 0 && data.Depth == 2 && data.Type == GCType.NonConcurrentGC)
            {
                _gcNumber = data.Count;
                _inDump = true;
                _pauseStartMs = _lastSuspendMs;
            }
        };
        clr.GCStop += data =>
        {
            if (data.Count != _gcNumber || _done)
            {
                return;
            }

            _inDump = false;
            if (Builder.NodeCount == 0)
            {
                // An application's own blocking gen2 GC can come first: keep waiting for the one with the dump.
                _gcNumber = -1;
                return;
            }

            Volatile.Write(ref _done, true);
            _dumpCompleted.TrySetResult();
        };
        clr.TypeBulkType += data =>
        {
            Touch();
            for (var i = 0; i < data.Count; i++)
            {
                var type = data.Values(i);
                ulong[]? arguments = null;
                if (type.TypeParameterCount > 0)
                {
                    arguments = new ulong[type.TypeParameterCount];
                    for (var p = 0; p < arguments.Length; p++)
                    {
                        arguments[p] = type.TypeParameterID(p);
                    }
                }

                Builder.AddType(type.TypeID, type.TypeName, arguments);
            }
        };
        clr.GCBulkNode += OnBulkNode;
        clr.GCBulkEdge += OnBulkEdge;
        clr.GCBulkRootEdge += data =>
        {
            Touch();
            if (!_inDump)
            {
                return;
            }

            for (var i = 0; i < data.Count; i++)
            {
                var root = data.Values(i);
                var flags = root.GCRootFlag;
                if ((flags & GCRootFlags.WeakRef) != 0)
                {
                    continue;
                }

                var kind = root.GCRootKind switch
                {
                    GCRootKind.Stack => RootKind.Stack,
                    GCRootKind.Finalizer => RootKind.FinalizerQueue,
                    GCRootKind.Handle when (flags & GCRootFlags.Pinning) != 0 => RootKind.PinnedHandle,
                    GCRootKind.Handle => RootKind.StrongHandle,
                    _ => RootKind.Other,
                };
                Builder.AddRoot(root.RootedNodeAddress, kind);
            }
        };
        clr.GCBulkRootStaticVar += data =>
        {
            Touch();
            if (!_inDump)
            {
                return;
            }

            for (var i = 0; i < data.Count; i++)
            {
                var root = data.Values(i);
                Builder.AddRoot(root.ObjectID, RootKind.StaticField, root.FieldName);
            }
        };
    }

    private void Touch() => Volatile.Write(ref _lastEventTicks, Environment.TickCount64);

    // The bulk events carry hundreds of fixed-size records each: reading them straight from the payload instead of
    // through TraceEvent's per-field accessors halves the parsing time (measured, docs/performance.md#heap-snapshots).
    private unsafe void OnBulkNode(GCBulkNodeTraceData data)
    {
        Touch();
        if (!_inDump)
        {
            return;
        }

        var count = data.Count;
        if (data.PointerSize == 8 && data.EventDataLength >= BulkHeaderBytes + (count * NodeRecordBytes))
        {
            var payload = new ReadOnlySpan<byte>((void*)data.DataStart, data.EventDataLength)[BulkHeaderBytes..];
            for (var i = 0; i < count; i++)
            {
                var record = payload.Slice(i * NodeRecordBytes, NodeRecordBytes);
                Builder.AddNode(
                    BinaryPrimitives.ReadUInt64LittleEndian(record),
                    BinaryPrimitives.ReadUInt64LittleEndian(record[8..]),
                    BinaryPrimitives.ReadUInt64LittleEndian(record[16..]),
                    (long)BinaryPrimitives.ReadUInt64LittleEndian(record[24..]));
            }

            return;
        }

        for (var i = 0; i < count; i++)
        {
            var node = data.Values(i);
            Builder.AddNode(node.Address, node.Size, node.TypeID, node.EdgeCount);
        }
    }

    private unsafe void OnBulkEdge(GCBulkEdgeTraceData data)
    {
        Touch();
        if (!_inDump)
        {
            return;
        }

        var count = data.Count;
        if (data.PointerSize == 8 && data.EventDataLength >= BulkHeaderBytes + (count * EdgeRecordBytes))
        {
            var payload = new ReadOnlySpan<byte>((void*)data.DataStart, data.EventDataLength)[BulkHeaderBytes..];
            for (var i = 0; i < count; i++)
            {
                Builder.AddEdge(BinaryPrimitives.ReadUInt64LittleEndian(payload[(i * EdgeRecordBytes)..]));
            }

            return;
        }

        for (var i = 0; i < count; i++)
        {
            Builder.AddEdge(data.Values(i).Target);
        }
    }
}
