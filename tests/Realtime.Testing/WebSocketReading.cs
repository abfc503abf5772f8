using System.Net.WebSockets;

namespace Realtime.Testing;

/// <summary>How the test clients read a socket: a whole message at a time, and the peer's close answered.</summary>
internal static class WebSocketReading
{
    /// <summary>The next whole message; null when the peer closed (its status is then <c>socket.CloseStatus</c>).</summary>
    public static async Task<(WebSocketMessageType Type, byte[] Bytes)?> NextMessageAsync(WebSocket socket, byte[] buffer, MemoryStream message)
    {
        message.SetLength(0);
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (socket.State == WebSocketState.CloseReceived)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                }

                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (result.MessageType, message.ToArray());
            }
        }
    }
}
