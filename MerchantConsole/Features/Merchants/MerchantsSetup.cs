using MerchantConsole.Data;

namespace MerchantConsole.Features.Merchants;

public static class MerchantsSetup
{
    public const string SupportRoles = StaffRoles.Support;
    public const string AdminRoles = StaffRoles.MerchantAdmin;
    public const string ListUrl = "/merchants";
    public const string NewUrl = "/merchants/new";
    public const string SettingsUrl = "/settings";

    public static IServiceCollection AddMerchants(this IServiceCollection services)
    {
        services.AddScoped<MerchantDirectoryService>();
        services.AddScoped<MerchantSettingsService>();
        return services;
    }
}
