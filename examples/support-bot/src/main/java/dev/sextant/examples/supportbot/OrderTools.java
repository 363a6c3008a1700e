package dev.sextant.examples.supportbot;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import java.util.Map;

/** The bot's one tool: order status from a (here: fixed) order system. */
public final class OrderTools {
    private static final Map<String, String> ORDERS = Map.of(
            "1042", "Order 1042 shipped on November 20 with DHL (tracking DHL-7781) and arrives by November 24.",
            "1043", "Order 1043 is being packed and leaves the warehouse tomorrow.");

    @Tool(name = "lookup_order", value = "Looks up the status of an order by its order number")
    public String lookupOrder(@P("the order number, digits only") String orderId) {
        String id = orderId == null ? "" : orderId.replaceAll("\\D", "");
        return ORDERS.getOrDefault(id, "There is no order " + orderId + ".");
    }
}
