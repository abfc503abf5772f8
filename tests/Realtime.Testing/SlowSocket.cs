using System.Net.Sockets;

namespace Realtime.Testing;

/// <summary>An HTTP invoker whose sockets have a tiny receive buffer, so a client that stops reading backs up quickly.</summary>
public static class SlowSocket
{
    public static HttpMessageInvoker Invoker(int receiveBufferBytes = 4096) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = receiveBufferBytes };
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    });
}
