using System.Text.Json;
using Realtime.Api;
using Realtime.Grains.Handlers;
using Realtime.Protocol;

namespace Realtime.Gateway.Tests;

/// <summary>The application handlers the end-to-end tests talk to.</summary>
public static class TestHandlers
{
    public sealed record EchoData(string Text);

    public sealed record RoomsSend(string[] Rooms, string Text, Dictionary<string, string>? Filter, string[]? Exclude);

    public sealed record UsersSend(string[] Users, string Text);

    public static void Register(RealtimeHandlerBuilder handlers) => handlers
        .Map("test", "echo", (JsonElement data) => data)
        .Map("bytes", "reverse", (byte[] data) => data.Reverse().ToArray())
        .MapRaw("/raw/text", async (string text, HandlerContext context) =>
        {
            // "join <room>" puts the connection in a room; anything else is answered in capitals.
            if (text.StartsWith("join ", StringComparison.Ordinal))
            {
                await context.Realtime.JoinRoomAsync(context.ClientId, text[5..]);
                return "joined";
            }

            return text.Length == 0 ? null : text.ToUpperInvariant();
        })
        .MapRaw("/raw/bytes", async (byte[] bytes, HandlerContext context) =>
        {
            // Two bytes of 0xff ask for a push of three bytes besides the answer.
            if (bytes is [0xff, 0xff])
            {
                await context.Realtime.SendToClientAsync(context.ClientId, RealtimePush.Binary("raw", "push", [7, 7, 7]));
            }

            return bytes.Reverse().ToArray();
        })
        .Map("bytes", "describe", (JsonElement data) => data.ValueKind.ToString())
        .Map("bytes", "pushToMe", async (HandlerContext context) =>
        {
            await context.Realtime.SendToClientAsync(context.ClientId, RealtimePush.Binary("bytes", "pushed", [1, 2, 3, 255]));
            return true;
        })
        .Map("test", "typed", (EchoData data, HandlerContext context) => new { text = data.Text, clientId = context.ClientId })
        .Map("test", "throw", () => ThrowForTest())
        .Map("test", "forbid", () => ThrowRealtime())
        .Map("test", "slow", async (CancellationToken cancellationToken) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), cancellationToken);
            return "late";
        }, timeout: TimeSpan.FromMilliseconds(300))
        .Map("test", "metadata", (HandlerContext context) => context.Metadata)
        .Map("test", "whoami", [RequireUser] (HandlerContext context) => context.UserId)
        .Map("test", "claims", [RequireUser] (System.Security.Claims.ClaimsPrincipal user) => user.Claims.Where(c => c.Type is "sub" or "team" or "role").Select(c => $"{c.Type}={c.Value}").Order().ToArray())
        .Map("admin", "stats", [RequireRole("admin")] () => "secret stats")
        .Map("chat", "write", [RequireClaim("scope", "chat:write")] () => "written")
        .Map("test", "sendToRooms", async (RoomsSend send, IRealtime realtime) =>
        {
            await realtime.SendToRoomsAsync(send.Rooms, RealtimePush.Create("test", "rooms", new { text = send.Text }), new SendOptions { Filter = send.Filter, Exclude = send.Exclude });
            return true;
        })
        .Map("test", "sendToRoom", async (RoomsSend send, IRealtime realtime) =>
            await realtime.SendToRoomAsync(send.Rooms[0], RealtimePush.Create("test", "room", new { text = send.Text }), new SendOptions { Filter = send.Filter, Exclude = send.Exclude }))
        .Map("test", "sendToUsers", async (UsersSend send, IRealtime realtime) =>
        {
            await realtime.SendToUsersAsync(send.Users, RealtimePush.Create("test", "users", new { text = send.Text }));
            return true;
        })
        .Map("test", "sendToMe", async (HandlerContext context) =>
        {
            await context.Realtime.SendToClientAsync(context.ClientId, RealtimePush.Create("test", "me", new { text = "for you" }));
            return true;
        })
        .Map("test", "sendToAll", async (EchoData data, IRealtime realtime) =>
        {
            await realtime.SendToAllAsync(RealtimePush.Create("test", "all", data));
            return true;
        })
        .Map("facade", "join", async (RoomRequest request, HandlerContext context) => await context.Realtime.JoinRoomAsync(context.ClientId, request.Room))
        .Map("facade", "leave", async (RoomRequest request, HandlerContext context) =>
        {
            await context.Realtime.LeaveRoomAsync(context.ClientId, request.Room);
            return true;
        })
        .Map("facade", "tag", async (MetadataRequest request, HandlerContext context) =>
        {
            await context.Realtime.UpdateClientMetadataAsync(context.ClientId, new Dictionary<string, string?> { [request.Key] = request.Value });
            return (await context.Realtime.GetClientAsync(context.ClientId))!.Metadata;
        })
        .Map("facade", "members", async (RoomRequest request, IRealtime realtime) => new
        {
            count = await realtime.GetRoomMemberCountAsync(request.Room),
            members = (await realtime.GetRoomMembersAsync(request.Room)).Select(m => m.ClientId).ToArray(),
        })
        .Map("facade", "toPath", async (PathRequest request, IRealtime realtime) =>
        {
            await realtime.SendToPathAsync(request.Path, "facade", "path", new { text = request.Text });
            return true;
        })
        .Map("facade", "viaGrain", async (HandlerContext context, IGrainFactory grains) =>
        {
            await grains.GetGrain<ITestNotifierGrain>(0).Notify(context.ClientId, "from a grain");
            return true;
        })
        .AddController<GreetingController>();

    public sealed record RoomRequest(string Room);

    public sealed record MetadataRequest(string Key, string? Value);

    public sealed record PathRequest(string Path, string Text);

    private static int ThrowForTest() => throw new InvalidOperationException("secret details that must stay in the log");

    private static int ThrowRealtime() => throw new RealtimeException(ErrorCodes.Forbidden, "Not for you");

    [RealtimeController("greet")]
    public sealed class GreetingController : RealtimeController
    {
        public sealed record HelloData(string Name);

        public string Hello(HelloData data) => $"hello {data.Name} from {ClientId}";

        [RealtimeAction("count")]
        public Task<int> CountAsync(int[] numbers) => Task.FromResult(numbers.Length);
    }
}
