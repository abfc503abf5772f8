using Microsoft.Extensions.DependencyInjection;

namespace Realtime.Grains.Rooms;

/// <summary>
/// Says who may join, publish to and see the members of which rooms, by category
/// (<c>chat</c> in <c>chat:general</c>). Authorizers run in the silo, on every join and every recovery.
/// </summary>
public sealed class RealtimeRoomsBuilder
{
    private readonly IServiceCollection _services;

    internal RealtimeRoomsBuilder(IServiceCollection services) => _services = services;

    /// <summary>Decides joins and recoveries of the category's rooms.</summary>
    public RealtimeRoomsBuilder AuthorizeJoin(string category, Func<RoomAccessContext, ValueTask<bool>> authorize)
    {
        ArgumentNullException.ThrowIfNull(category);
        Add(category, RoomAccess.Join, authorize);
        return Add(category, RoomAccess.Recover, authorize);
    }

    /// <summary>Decides joins and recoveries of the category's rooms.</summary>
    public RealtimeRoomsBuilder AuthorizeJoin(string category, Func<RoomAccessContext, bool> authorize)
        => AuthorizeJoin(category, Wrap(authorize));

    /// <summary>Decides joins and recoveries of the rooms of every category without its own authorizer.</summary>
    public RealtimeRoomsBuilder AuthorizeJoin(Func<RoomAccessContext, ValueTask<bool>> authorize)
    {
        Add(null, RoomAccess.Join, authorize);
        return Add(null, RoomAccess.Recover, authorize);
    }

    /// <summary>Decides joins and recoveries of the rooms of every category without its own authorizer.</summary>
    public RealtimeRoomsBuilder AuthorizeJoin(Func<RoomAccessContext, bool> authorize) => AuthorizeJoin(Wrap(authorize));

    /// <summary>Decides who publishes to the category's rooms (members or not), and makes that the category's publish policy.</summary>
    public RealtimeRoomsBuilder AuthorizePublish(string category, Func<RoomAccessContext, ValueTask<bool>> authorize)
    {
        Category(category, c => c.Publish = PublishPolicy.Authorizer);
        return Add(category, RoomAccess.Publish, authorize);
    }

    /// <summary>Decides who publishes to the category's rooms (members or not), and makes that the category's publish policy.</summary>
    public RealtimeRoomsBuilder AuthorizePublish(string category, Func<RoomAccessContext, bool> authorize)
        => AuthorizePublish(category, Wrap(authorize));

    /// <summary>Decides who lists the members of the category's rooms, and makes that the category's presence policy.</summary>
    public RealtimeRoomsBuilder AuthorizePresence(string category, Func<RoomAccessContext, ValueTask<bool>> authorize)
    {
        Category(category, c => c.Presence = PresenceVisibility.Authorizer);
        return Add(category, RoomAccess.Presence, authorize);
    }

    /// <summary>Decides who lists the members of the category's rooms, and makes that the category's presence policy.</summary>
    public RealtimeRoomsBuilder AuthorizePresence(string category, Func<RoomAccessContext, bool> authorize)
        => AuthorizePresence(category, Wrap(authorize));

    /// <summary>Sets a category's policies (publish, presence, exposed metadata, presence events).</summary>
    public RealtimeRoomsBuilder Category(string category, Action<RoomCategoryOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(category);
        ArgumentNullException.ThrowIfNull(configure);
        _services.Configure<RoomOptions>(options =>
        {
            if (!options.Categories.TryGetValue(category, out var settings))
            {
                options.Categories[category] = settings = new RoomCategoryOptions();
            }

            configure(settings);
        });
        return this;
    }

    private RealtimeRoomsBuilder Add(string? category, RoomAccess access, Func<RoomAccessContext, ValueTask<bool>> authorize)
    {
        ArgumentNullException.ThrowIfNull(authorize);
        _services.AddSingleton(new RoomAuthorizerRegistration(category, access, authorize));
        return this;
    }

    private static Func<RoomAccessContext, ValueTask<bool>> Wrap(Func<RoomAccessContext, bool> authorize)
    {
        ArgumentNullException.ThrowIfNull(authorize);
        return context => ValueTask.FromResult(authorize(context));
    }
}
