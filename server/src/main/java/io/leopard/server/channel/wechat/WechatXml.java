package io.leopard.server.channel.wechat;

import io.leopard.server.channel.ChannelException;
import java.io.IOException;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * WeChat Pay v2's messages: one flat {@code <xml>} element whose children each hold one text value.
 *
 * <p>The parser is hardened because the answer comes off the network: no DOCTYPE at all (so no
 * entity of any kind, external or billion-laughs), no external DTD or schema, no XInclude. Anything
 * that is not a flat {@code <xml>} of distinct names is {@link ChannelException.Failure#MALFORMED},
 * with a fixed message and no cause, so that no parser message (which may quote the input) reaches
 * a log or a caller.
 */
final class WechatXml {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** The characters XML 1.0 cannot carry, even in CDATA. */
    private static final Pattern NOT_XML = Pattern.compile("[^\\x09\\x0A\\x0D\\x20-\\uD7FF\\uE000-\\uFFFD\\x{10000}-\\x{10FFFF}]");
    private static final DocumentBuilderFactory FACTORY = hardenedFactory();
    private static final ErrorHandler SILENT = new ErrorHandler() {
        // the default handler prints "[Fatal Error]" lines, with the input's text, to stderr
        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };

    private WechatXml() {
    }

    /** {@code <xml><k><![CDATA[v]]></k>...</xml>}, in the map's order. */
    static String write(Map<String, String> fields) {
        StringBuilder xml = new StringBuilder(512).append("<xml>");
        for (Map.Entry<String, String> e : fields.entrySet()) {
            String name = e.getKey();
            String value = e.getValue();
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("not an XML element name: " + name);
            }
            if (NOT_XML.matcher(value).find()) {
                throw new IllegalArgumentException(name + " holds a character XML cannot carry");
            }
            // a "]]>" in the value would end the section: split it across two
            xml.append('<').append(name).append("><![CDATA[")
                    .append(value.replace("]]>", "]]]]><![CDATA[>"))
                    .append("]]></").append(name).append('>');
        }
        return xml.append("</xml>").toString();
    }

    /**
     * The fields of a flat {@code <xml>}, in document order.
     *
     * @throws ChannelException {@code MALFORMED} for anything else
     */
    static Map<String, String> parse(String text) {
        Document document;
        try {
            DocumentBuilder builder;
            synchronized (FACTORY) {
                // a factory is not promised to be thread-safe; a builder is made per parse
                builder = FACTORY.newDocumentBuilder();
            }
            builder.setErrorHandler(SILENT);
            builder.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entities are not resolved");
            });
            document = builder.parse(new InputSource(new StringReader(text)));
        } catch (SAXException | IOException | ParserConfigurationException e) {
            throw malformed("the answer is not well-formed XML without a DOCTYPE");
        }
        Element root = document.getDocumentElement();
        if (document.getDoctype() != null || !"xml".equals(root.getTagName())) {
            throw malformed("the answer's root element is not <xml>");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        NodeList children = root.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            Node child = children.item(i);
            switch (child.getNodeType()) {
                case Node.ELEMENT_NODE -> {
                    String name = child.getNodeName();
                    if (fields.putIfAbsent(name, textOf(child)) != null) {
                        throw malformed("the answer has two <" + shorten(name) + "> elements");
                    }
                }
                case Node.TEXT_NODE -> {
                    if (!child.getNodeValue().isBlank()) {
                        throw malformed("the answer has text outside the elements of <xml>");
                    }
                }
                case Node.COMMENT_NODE, Node.PROCESSING_INSTRUCTION_NODE -> {
                }
                default -> throw malformed("the answer's <xml> holds more than elements");
            }
        }
        return fields;
    }

    /** An element's text (CDATA or not); a child element in it makes the answer not flat. */
    private static String textOf(Node element) {
        StringBuilder text = new StringBuilder();
        NodeList parts = element.getChildNodes();
        for (int i = 0; i < parts.getLength(); i++) {
            Node part = parts.item(i);
            switch (part.getNodeType()) {
                case Node.TEXT_NODE, Node.CDATA_SECTION_NODE -> text.append(part.getNodeValue());
                case Node.COMMENT_NODE, Node.PROCESSING_INSTRUCTION_NODE -> {
                }
                default -> throw malformed("the answer's <" + shorten(element.getNodeName()) + "> is not a plain value");
            }
        }
        return text.toString();
    }

    private static String shorten(String name) {
        return name.length() > 40 ? name.substring(0, 40) + "..." : name;
    }

    private static ChannelException malformed(String message) {
        return new ChannelException(ChannelException.Failure.MALFORMED, message);
    }

    private static DocumentBuilderFactory hardenedFactory() {
        // the JDK's own parser, whichever XML library is on the class path: the features are its
        DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
        try {
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser cannot be hardened: " + e.getMessage(), e);
        }
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        factory.setNamespaceAware(false);
        factory.setValidating(false);
        return factory;
    }
}
