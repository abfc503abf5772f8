using System.Net;
using System.Net.Sockets;

namespace Realtime.Testing;

/// <summary>Free loopback ports, never the same one twice in a test run.</summary>
public static class FreePorts
{
    private static readonly HashSet<int> s_taken = [];

    public static int Next()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            lock (s_taken)
            {
                if (s_taken.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
