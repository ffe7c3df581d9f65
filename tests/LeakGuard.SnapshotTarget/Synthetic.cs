using System.Diagnostics;
using LeakGuard.Investigation;

namespace LeakGuard.SnapshotTarget;

internal static class Synthetic
{
    public static int Run(int objects)
    {
        var addresses = new ulong[objects];
        var half = objects / 2;
        for (var i = 0; i < objects; i++)
        {
            addresses[i] = i < half ? 0x7f00_0000_0000UL + ((ulong)i * 32) : 0x7e00_0000_0000UL + ((ulong)(i - half) * 32);
        }

        var random = new Random(42);
        var first = Enumerable.Range(0, objects).Select(_ => random.Next(objects)).ToArray();
        for (var round = 0; round < 3; round++)
        {
            var sw = Stopwatch.StartNew();
            var builder = new HeapGraphBuilder();
            builder.AddType(1, "A");
            builder.AddType(2, "B");
            builder.AddType(3, "C");
            for (var i = 0; i < objects; i++)
            {
                builder.AddNode(addresses[i], 24, (ulong)(1 + (i % 3)), i % 2 == 0 ? 2 : 1);
            }

            Console.Error.WriteLine($"feed nodes {sw.ElapsedMilliseconds}");
            for (var i = 0; i < objects; i++)
            {
                builder.AddEdge(addresses[(i + 1) % objects]);
                if (i % 2 == 0)
                {
                    builder.AddEdge(addresses[first[i]]);
                }
            }

            Console.Error.WriteLine($"feed edges {sw.ElapsedMilliseconds}");
            var graph = builder.Build();
            Console.Error.WriteLine($"total {sw.ElapsedMilliseconds} nodes {graph.NodeCount}");
        }

        return 0;
    }
}
