using System.Text.Json;
using Realtime.Api;
using Realtime.Grains.Handlers;
using Realtime.Protocol;

namespace Realtime.Grains.Tests;

public static class TestHandlers
{
    public sealed record Point(int X, int Y);

    public sealed record Greeting(string Name, string? Title = null);

    public static void Register(RealtimeHandlerBuilder handlers) => handlers
        .Map("math", "add", (Point p) => p.X + p.Y)
        .Map("math", "greet", (Greeting g) => $"hi {g.Title} {g.Name}".Replace("  ", " ", StringComparison.Ordinal))
        .Map("math", "maybe", (Point? p) => p is null ? "none" : "some")
        .Map("math", "raw", (JsonElement data, HandlerContext context) => new { kind = data.ValueKind.ToString(), context.Type, context.Action, context.UserId })
        .Map("math", "void", () => { })
        .Map("math", "fail", () => Fail())
        .Map("math", "refuse", () => Refuse())
        .Map("math", "slow", async (CancellationToken token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return 0;
        }, timeout: TimeSpan.FromMilliseconds(200))
        .Map("math", "stubborn", async () =>
        {
            // Ignores its cancellation token.
            await Task.Delay(TimeSpan.FromSeconds(3));
            return 0;
        }, timeout: TimeSpan.FromMilliseconds(200))
        .Map("math", "toRoom", async (string room, IRealtime realtime) => await realtime.SendToRoomAsync(room, RealtimePush.Create("math", "result", new { value = 42 })))
        .AddController<CounterController>();

    private static int Fail() => throw new InvalidOperationException("grain handler failure");

    private static int Refuse() => throw new RealtimeException(ErrorCodes.Forbidden, "refused");

    public sealed class CounterController(TimeProvider time) : RealtimeController
    {
        public int Twice(int value) => value * 2;

        [RealtimeAction("now")]
        public ValueTask<bool> NowAsync() => ValueTask.FromResult(time.GetUtcNow().Year > 2000 && Context.ClientId.Length > 0);

        [NonAction]
        public int Hidden() => 0;
    }
}
