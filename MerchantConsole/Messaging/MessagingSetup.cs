namespace MerchantConsole.Messaging;

public static class MessagingSetup
{
    public static IServiceCollection AddMessaging(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<OutboxOptions>(configuration.GetSection(OutboxOptions.Section));
        services.AddSingleton<IOutboxTrigger, HangfireOutboxTrigger>();
        services.AddTransient<OutboxDispatcher>();
        return services;
    }
}
