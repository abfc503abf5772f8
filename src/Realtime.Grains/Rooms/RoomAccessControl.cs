using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Realtime.Grains.Rooms;

/// <summary>Applies the rooms' policies and authorizers; an authorizer that throws says no (and is logged).</summary>
internal sealed partial class RoomAccessControl
{
    private readonly Dictionary<(string Category, RoomAccess Access), Func<RoomAccessContext, ValueTask<bool>>> _byCategory = [];
    private readonly Dictionary<RoomAccess, Func<RoomAccessContext, ValueTask<bool>>> _defaults = [];
    private readonly IOptions<RoomOptions> _options;
    private readonly bool _userRooms;
    private readonly ILogger<RoomAccessControl> _logger;

    public RoomAccessControl(IEnumerable<RoomAuthorizerRegistration> registrations, IOptions<RoomOptions> options, IOptions<Users.UserRoomOptions> users, ILogger<RoomAccessControl> logger)
    {
        _options = options;
        _userRooms = users.Value.Rooms;
        _logger = logger;
        foreach (var registration in registrations)
        {
            if (registration.Category is null)
            {
                _defaults[registration.Access] = registration.Authorize;
            }
            else
            {
                _byCategory[(registration.Category, registration.Access)] = registration.Authorize;
            }
        }
    }

    /// <summary>Null when the access is allowed, else the reason to give the client.</summary>
    public async ValueTask<string?> Check(RoomAccessContext context)
    {
        var options = _options.Value;
        switch (context.Access)
        {
            case RoomAccess.Join or RoomAccess.Recover:
                return await CheckJoin(context, options);
            case RoomAccess.Publish:
                return options.PublishFor(context.RoomName) switch
                {
                    PublishPolicy.Denied => $"Clients may not publish to {context.RoomName}",
                    PublishPolicy.Members => context.IsMember ? null : $"Not a member of {context.RoomName}",
                    _ => Find(context) is { } publishAuthorizer && await Run(publishAuthorizer, context) ? null : $"Not allowed to publish to {context.RoomName}",
                };
            default:
                return options.PresenceFor(context.RoomName) switch
                {
                    PresenceVisibility.Anyone => null,
                    PresenceVisibility.Nobody => $"The members of {context.RoomName} are not shown",
                    PresenceVisibility.Members => context.IsMember ? null : $"Not a member of {context.RoomName}",
                    _ => Find(context) is { } presenceAuthorizer && await Run(presenceAuthorizer, context) ? null : $"Not allowed to see the members of {context.RoomName}",
                };
        }
    }

    /// <summary>
    /// The category's configured policy first, then its authorizer (or the one for every category) when
    /// there is one. A category with neither follows <see cref="RoomOptions.Join"/>; unset, only an
    /// authorizer for every category opens it: rooms are closed by default. A user's room
    /// (<c>user:&lt;userId&gt;</c>, while users have rooms) is its owner's only.
    /// </summary>
    private async ValueTask<string?> CheckJoin(RoomAccessContext context, RoomOptions options)
    {
        // A user's own room is its owner's, whatever the policies say.
        if (_userRooms && context.Category == Protocol.RoomNames.UserCategory)
        {
            return context.UserId is not null && string.Equals(context.UserId, context.RoomId, StringComparison.Ordinal)
                ? null
                : $"Only its owner may join {context.RoomName} (rooms of category '{context.Category}', users' own)";
        }

        var authorizer = Find(context);
        var policy = options.JoinFor(context.RoomName)
            ?? (_byCategory.ContainsKey((context.Category, context.Access)) ? JoinPolicy.Authorizer : (JoinPolicy?)null)
            ?? options.Join
            ?? (authorizer is null ? JoinPolicy.Nobody : JoinPolicy.Authorizer);
        var category = context.Category.Length == 0 ? "rooms without a category" : $"rooms of category '{context.Category}'";
        var refusal = policy switch
        {
            JoinPolicy.Nobody => $"Clients may not join {category} ({context.RoomName})",
            JoinPolicy.Authenticated when context.UserId is null => $"Only authenticated users may join {category} ({context.RoomName})",
            JoinPolicy.Owner when context.UserId is null || !string.Equals(context.UserId, context.RoomId, StringComparison.Ordinal)
                => $"Only its owner may join {context.RoomName} ({category})",
            JoinPolicy.Authorizer when authorizer is null => $"No join authorizer opens {category} ({context.RoomName})",
            _ => null,
        };
        if (refusal is not null || authorizer is null)
        {
            return refusal;
        }

        return await Run(authorizer, context) ? null : $"Not allowed to join {context.RoomName} ({category})";
    }

    private Func<RoomAccessContext, ValueTask<bool>>? Find(RoomAccessContext context)
        => _byCategory.TryGetValue((context.Category, context.Access), out var authorize) ? authorize
            : _defaults.GetValueOrDefault(context.Access);

    private async ValueTask<bool> Run(Func<RoomAccessContext, ValueTask<bool>> authorize, RoomAccessContext context)
    {
        try
        {
            return await authorize(context);
        }
        catch (Exception exception)
        {
            LogAuthorizerFailed(exception, context.Access, context.RoomName, context.ClientId);
            return false;
        }
    }

    [LoggerMessage(EventId = 1500, Level = LogLevel.Error, Message = "The {Access} authorizer for room {Room} failed for client {ClientId}; access denied.")]
    private partial void LogAuthorizerFailed(Exception exception, RoomAccess access, string room, string clientId);
}
