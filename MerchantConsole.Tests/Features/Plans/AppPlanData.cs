using MerchantConsole.Data;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantConsole.Tests.Features.Plans;

/// <summary>Arranges data in the running app's database directly, as one demo merchant.</summary>
internal static class AppPlanData
{
    /// <summary>A context of the running app scoped to the demo merchant with this code, as a job acting for it would be.</summary>
    public static async Task<MerchantDbContext> ContextForMerchantAsync(this AppFactory factory, string merchantCode, string actor = "plan tests")
    {
        var options = factory.Services.GetRequiredService<ProviderContextOptions>();
        Guid merchantId;
        await using (var unscoped = options.Create(new MerchantScope()))
            merchantId = await unscoped.Merchants.Where(m => m.Code == merchantCode).Select(m => m.Id).SingleAsync();
        var scope = new MerchantScope();
        scope.UseMerchant(merchantId, actor);
        return options.Create(scope);
    }
}
