namespace Realtime;

/// <summary>A configuration section bound to an options type (registered by <see cref="RealtimeOptionsServiceCollectionExtensions.AddValidatedOptions"/>), so a host can tell which keys nothing reads.</summary>
public sealed record RealtimeSettingsSection(string Path, Type OptionsType);
