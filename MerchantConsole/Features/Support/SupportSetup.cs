namespace MerchantConsole.Features.Support;

public static class SupportSetup
{
    /// <summary>The support console: runs of every workflow kind, across merchants.</summary>
    public static IServiceCollection AddSupportConsole(this IServiceCollection services)
    {
        services.AddScoped<SupportConsoleService>();
        return services;
    }
}
