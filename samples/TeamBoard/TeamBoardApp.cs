using System.Text.RegularExpressions;
using Realtime.Gateway.Hosting;
using Realtime.Grains;
using Realtime.Grains.Rooms;
using Realtime.Hosting;

namespace TeamBoard;

/// <summary>
/// Team boards: people join a board (<c>board:&lt;name&gt;</c>), post notes to it through a handler, and
/// every board member sees them; a clock the app runs pushes the time to <c>announce:clock</c>, which
/// clients may join but not publish to.
/// </summary>
public static partial class TeamBoardApp
{
    /// <summary>Builds the app: a silo and the gateway in this process, the handlers, the room rules, the clock, the page.</summary>
    public static WebApplication Create(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);

        // The silo: with no Redis configured, one in-memory silo (localhost clustering, memory storage).
        builder.UseOrleans(silo => silo.UseRealtimeHosting(builder.Configuration));

        // The gateway beside it: WebSocket connections at /ws, limits and auth from Realtime:*.
        builder.Services.AddRealtimeGateway(builder.Configuration.GetSection("Realtime"));

        // What clients may ask (board/post, board/count), and who may join and publish where.
        builder.Services.AddRealtimeHandlers(handlers => handlers.AddController<BoardController>());
        builder.Services.AddRealtimeRooms(rooms => rooms
            .AuthorizeJoin("board", context => BoardName().IsMatch(context.RoomId))
            .AuthorizeJoin("announce", _ => true)
            .Category("announce", category => category.Publish = PublishPolicy.Denied));

        // Application code that pushes from outside any handler.
        builder.Services.Configure<ClockOptions>(builder.Configuration.GetSection("TeamBoard:Clock"));
        builder.Services.AddHostedService<Clock>();

        var app = builder.Build();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.MapRealtime("/ws");
        app.MapRealtimeClientScript();
        return app;
    }

    /// <summary>A board's name: 1 to 32 letters, digits or dashes.</summary>
    [GeneratedRegex("^[a-z0-9-]{1,32}$")]
    private static partial Regex BoardName();
}
