using System.Net;
using System.Net.Sockets;

namespace LeakGuard.IntegrationTests.Prometheus;

/// <summary>Finds a free TCP port on 127.0.0.1 for a child server.</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
