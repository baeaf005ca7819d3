using OrderHub.Emulator.Hosting;
using OrderHub.RateLimits;
using Shouldly;
using Xunit;

namespace OrderHub.SellingPartner.Tests;

/// <summary>
/// The same seeded orders read through Orders API v0 and 2026-01-01, compared field by field: which unified members
/// agree, and which cannot (the README's "Moving from v0" table is this class in prose).
/// </summary>
public sealed class OrdersApiVersionComparisonTests : IAsyncLifetime
{
    private readonly List<(Order V0, Order V2026)> _pairs = [];
    private EmulatorHost _emulator = null!;

    public async Task InitializeAsync()
    {
        _emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpGetOrderRate = 1000, SpGetOrderBurst = 1000, SpOrderCount = 44 });
        var v0 = Source(SellingPartnerOrdersApi.V0);
        var v2026 = Source(SellingPartnerOrdersApi.V20260101);
        var read = new OrderReadOptions { IncludePersonalData = true };
        foreach (var id in _emulator.SellingPartner.OrderIds)
        {
            _pairs.Add((await v0.GetOrderAsync(id, read), await v2026.GetOrderAsync(id, read)));
        }
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [Fact]
    public void CommonMembers_Agree()
    {
        foreach (var (v0, v2026) in _pairs)
        {
            (v2026.Source, v2026.OrderId, v2026.SellerOrderId, v2026.AccountId).ShouldBe((v0.Source, v0.OrderId, v0.SellerOrderId, v0.AccountId));
            v2026.Status.Value.ShouldBe(v0.Status.Value, v0.Status.Raw);
            (v2026.CreatedAt, v2026.LastUpdatedAt, v2026.FulfilledAt).ShouldBe((v0.CreatedAt, v0.LastUpdatedAt, v0.FulfilledAt));
            v2026.Total.ShouldBe(v0.Total);
            v2026.ReplacesOrderId.ShouldBe(v0.ReplacesOrderId);
            (v2026.Shipping!.ShipBy, v2026.Shipping.DeliverBy).ShouldBe((v0.Shipping!.ShipBy, v0.Shipping.DeliverBy));
            v2026.Shipping.ServiceLevelCategory.ShouldBe(v0.Shipping.ServiceLevelCategory, StringCompareShould.IgnoreCase);
            if (v0.Type!.Value.Value == OrderType.Preorder)
            {
                v2026.Type!.Value.Value.ShouldBe(OrderType.Preorder);
            }

            if (v0.PersonalDataWithheld is not null)
            {
                continue;
            }

            var (a, b) = (v0.Shipping.Address!, v2026.Shipping.Address!);
            (b.Name, b.CompanyName, b.AddressLine1, b.AddressLine2, b.AddressLine3, b.City).ShouldBe((a.Name, a.CompanyName, a.AddressLine1, a.AddressLine2, a.AddressLine3, a.City));
            (b.District, b.StateOrRegion, b.Municipality, b.PostalCode, b.CountryCode, b.Phone).ShouldBe((a.District, a.StateOrRegion, a.Municipality, a.PostalCode, a.CountryCode, a.Phone));
            (b.StreetName, b.StreetNumber, b.Complement, b.Neighborhood).ShouldBe((a.StreetName, a.StreetNumber, a.Complement, a.Neighborhood));
            b.AddressType!.Value.Value.ShouldBe(a.AddressType!.Value.Value);
        }
    }

    [Fact]
    public void SellingPartnerDetailsBothVersionsCarry_Agree()
    {
        foreach (var (v0, v2026) in _pairs)
        {
            var (a, b) = (v0.GetProviderDetails<SellingPartnerOrderDetails>()!, v2026.GetProviderDetails<SellingPartnerOrderDetails>()!);
            (a.ApiVersion, b.ApiVersion).ShouldBe(("v0", "2026-01-01"));
            b.FulfillmentChannel!.Value.Value.ShouldBe(a.FulfillmentChannel!.Value.Value);
            b.SalesChannel.ShouldBe(a.SalesChannel);
            (b.NumberOfItemsShipped, b.NumberOfItemsUnshipped).ShouldBe((a.NumberOfItemsShipped, a.NumberOfItemsUnshipped), v0.Status.Raw);
            b.PaymentExecutions.ShouldBe(a.PaymentExecutions);
            (b.IsBusinessOrder, b.IsPrime, b.IsPremiumOrder, b.IsISPU, b.IsReplacementOrder).ShouldBe((a.IsBusinessOrder, a.IsPrime, a.IsPremiumOrder, a.IsISPU, a.IsReplacementOrder));
            b.BuyerInvoicePreference.ShouldBe(a.BuyerInvoicePreference);
            b.ElectronicInvoiceStatus!.Replace("_", string.Empty, StringComparison.Ordinal).ShouldBe(a.ElectronicInvoiceStatus, StringCompareShould.IgnoreCase);
            if (v0.PersonalDataWithheld is null)
            {
                (b.Buyer!.Name, b.Buyer.Email, b.Buyer.PurchaseOrderNumber, b.Buyer.CompanyName).ShouldBe((a.Buyer!.Name, a.Buyer.Email, a.Buyer.PurchaseOrderNumber, a.Buyer.CompanyLegalName));
            }
        }
    }

    [Fact]
    public void MembersThatCannotAgree_DifferAsDocumented()
    {
        foreach (var (v0, v2026) in _pairs)
        {
            // Raw strings: 2026-01-01 spells statuses in capitals, and folds v0's InvoiceUnconfirmed into SHIPPED.
            v2026.Status.Raw.ShouldNotBe(v0.Status.Raw);

            // 2026-01-01 has no order type, only the PREORDER program; no order-level payment method; no ship service
            // level name; no County or coordinates (one districtOrCounty, read into District); and ships from the
            // address of a package, so only once there is one.
            if (v0.Type!.Value.Value != OrderType.Preorder)
            {
                v2026.Type.ShouldBeNull();
            }

            (v0.Payment is null, v2026.Payment).ShouldBe((false, null));
            (v0.Shipping!.ServiceLevel is null, v2026.Shipping!.ServiceLevel).ShouldBe((false, null));
            if (v2026.Shipping.Address is { } address)
            {
                (address.County, address.Latitude, address.Longitude).ShouldBe((null, null, null));
            }

            v0.Shipping.ShipFrom.ShouldNotBeNull();
            var packages = v2026.GetProviderDetails<SellingPartnerOrderDetails>()!.Packages;
            (v2026.Shipping.ShipFrom is not null).ShouldBe(packages.Count > 0);
            if (v2026.Shipping.ShipFrom is { } shipFrom)
            {
                (shipFrom.Name, shipFrom.AddressLine1, shipFrom.PostalCode).ShouldBe((v0.Shipping.ShipFrom.Name, v0.Shipping.ShipFrom.AddressLine1, v0.Shipping.ShipFrom.PostalCode));
            }

            // v0 getOrder has no items (they are a second call, getOrderItems); 2026-01-01 embeds them.
            (v0.Lines.Count, v2026.Lines.Count).ShouldBe((0, 2));
        }
    }

    [Fact]
    public void DetailsOnlyOneVersionHas_AreEmptyInTheOther()
    {
        foreach (var (v0, v2026) in _pairs)
        {
            var (a, b) = (v0.GetProviderDetails<SellingPartnerOrderDetails>()!, v2026.GetProviderDetails<SellingPartnerOrderDetails>()!);

            (b.OrderChannel, b.EasyShipShipmentStatus, b.CbaDisplayableShippingLabel, b.IsGlobalExpressEnabled, b.IsEstimatedShipDateSet).ShouldBe((null, null, null, null, null));
            (b.IsSoldByAB, b.IsIBA, b.FulfillmentSupplySourceId, b.IsAccessPointOrder, b.SellerDisplayName).ShouldBe((null, null, null, null, null));
            (b.PromiseResponseDueDate, b.AutomatedShippingSettings, b.HasRegulatedItems, b.BuyerTaxInformation).ShouldBe((null, null, null, null));
            b.MarketplaceTaxClassifications.Count.ShouldBe(0);
            if (b.Buyer is { } buyer)
            {
                (buyer.County, buyer.TaxingRegion, buyer.HasTaxInfo).ShouldBe((null, null, false));
            }


            (a.Programs.Count, a.Aliases.Count, a.AssociatedOrders.Count, a.ProceedsBreakdowns.Count, a.Packages.Count, a.Items.Count, a.TaxRegistrations.Count).ShouldBe((0, 0, 0, 0, 0, 0, 0));
            (a.ChannelName, a.LabelPrintingWindow, a.DeliveryPreference).ShouldBe((null, null, null));
            (b.Aliases.Count, b.Items.Count, b.ChannelName).ShouldBe((1, 2, "AMAZON"));
            (b.DeliveryPreference is not null).ShouldBe(v2026.PersonalDataWithheld is null, "a delivery preference comes with the recipient");

            // v0's BuyerTaxInformation is 2026-01-01's buyer tax registration.
            if (a.BuyerTaxInformation is { } tax)
            {
                var registration = b.TaxRegistrations.Single(t => t.EntityType == "BUYER");
                (registration.LegalName, registration.RegistrationNumber, registration.Attributes.Single().Value).ShouldBe((tax.LegalCompanyName, tax.TaxRegistrationId, tax.TaxOffice));
            }
        }
    }

    [Fact]
    public void PersonalData_IsWithheldAlikeInBoth_ByTheOrdersStatus()
    {
        foreach (var (v0, v2026) in _pairs)
        {
            (v2026.PersonalDataWithheld?.Reason).ShouldBe(v0.PersonalDataWithheld?.Reason, v0.Status.Raw);
            (v0.Shipping!.Address is null).ShouldBe(v0.PersonalDataWithheld is not null, v0.Status.Raw);
        }

        _pairs.Count(p => p.V0.PersonalDataWithheld is null).ShouldBeInRange(1, _pairs.Count - 1, "both kinds are compared");
    }

    [Fact]
    public void TheSampleCoversEveryStatusBothWays() =>
        _pairs.Select(p => p.V0.Status.Raw).Distinct().Count().ShouldBe(8);

    private SellingPartnerOrderSource Source(string version)
    {
        var options = EmulatorClient.Options(_emulator, version);
        options.GetOrderBurst = 1000;
        return new SellingPartnerOrderSource(options, OrderHub.Http.UpstreamContext.Create(), new RateLimiterRegistry());
    }
}
