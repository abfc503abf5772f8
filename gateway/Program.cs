using Realtime.GatewayHost;

await GatewayApp.Create(args).RunAsync();
