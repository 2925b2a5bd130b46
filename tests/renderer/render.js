// Renders Adaptive Cards with Microsoft's JS renderer (the adaptivecards package) the way Teams shows them.
//
// Input (stdin): a JSON list of cards. Output (stdout): a JSON list, one entry per card:
//   {problems: [...], text: "<the rendered words>", links: ["<href>", ...]}
// problems: every parse event (unknown types or properties, invalid values, fallbacks) and every
// validateProperties() failure, as "phase/event: message".
//
// Markdown: a TextBlock (and a Fact's title and value) goes through AdaptiveCard.onProcessMarkdown; Teams
// renders only a subset of Markdown, so markdown-it runs with only that subset on: emphasis (bold, italics),
// links, bulleted and numbered lists. No backslash escapes (Teams shows a backslash as it is), no headings,
// no code, no quotes, no HTML: whatever else a text holds shows as it was written, as it would in Teams.

"use strict";

const { JSDOM } = require("jsdom");

const dom = new JSDOM("<!doctype html><html><body></body></html>");
for (const name of Object.getOwnPropertyNames(dom.window)) {
  if (!(name in global)) {
    try {
      global[name] = dom.window[name];
    } catch (ignored) {
      // a read-only global of node's own
    }
  }
}
global.window = dom.window;
global.document = dom.window.document;
// jsdom has no innerText, which the renderer sets on labels, text runs and buttons: the words themselves
Object.defineProperty(dom.window.HTMLElement.prototype, "innerText", {
  get() {
    return this.textContent;
  },
  set(value) {
    this.textContent = value;
  },
});

// lib/ is ES modules without file extensions, which node cannot load: the bundled build is the same code
const AC = require("adaptivecards/dist/adaptivecards.js");
const MarkdownIt = require("markdown-it");

const teamsMarkdown = new MarkdownIt("zero").enable(["emphasis", "link", "list", "newline"]);
AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
  result.outputHtml = teamsMarkdown.render(text);
  result.didProcess = true;
};

function render(payload) {
  const problems = [];
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  card.parse(payload, context);
  for (let i = 0; i < context.eventCount; i++) {
    const event = context.getEventAt(i);
    problems.push(`parse/${AC.ValidationEvent[event.event]}: ${event.message}`);
  }
  for (const event of card.validateProperties().validationEvents) {
    problems.push(`validate/${AC.ValidationEvent[event.event]}: ${event.message}`);
  }
  const words = [];
  const links = [];
  let element;
  try {
    element = card.render();
  } catch (error) {
    problems.push(`render: ${error}`);
  }
  if (element) {
    document.body.appendChild(element);
    // hidden parts (a draft folded away, a ShowCard's form) are rendered too: their words count as well
    for (const node of element.querySelectorAll(".ac-textBlock, .ac-richTextBlock, .ac-factset td, button, .ac-input-container")) {
      words.push(node.textContent);
    }
    for (const anchor of element.querySelectorAll("a")) {
      links.push(anchor.getAttribute("href"));
    }
    element.remove();
  }
  return { problems, text: words.join("\n"), links };
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const cards = JSON.parse(input);
  process.stdout.write(JSON.stringify(cards.map(render)));
});
