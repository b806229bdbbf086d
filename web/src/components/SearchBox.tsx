// The search box: a `searchbox` named "Search events" with as-you-type suggestions (debounced),
// submitted to /search?q=. Arrow Down moves into the suggestions, Escape closes them.
import { type FormEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import { Link, useNavigate } from "react-router";
import type { EventSummary } from "#gen/ticketing/search/v1/search_pb.js";
import { api } from "../api/client.ts";

const debounceMs = 250;

export function SearchBox({ initial = "", autoFocus = false }: { initial?: string; autoFocus?: boolean }) {
  const [text, setText] = useState(initial);
  const [suggestions, setSuggestions] = useState<EventSummary[]>([]);
  const [open, setOpen] = useState(false);
  const navigate = useNavigate();
  const listId = useId();
  const list = useRef<HTMLUListElement>(null);

  useEffect(() => setText(initial), [initial]);

  useEffect(() => {
    const keyword = text.trim();
    if (keyword.length < 2) {
      setSuggestions([]);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      api
        .searchEvents({ keyword, pageSize: 5 }, { signal: controller.signal })
        .then((res) => setSuggestions(res.events))
        .catch(() => setSuggestions([]));
    }, debounceMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [text]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setOpen(false);
    navigate(`/search?q=${encodeURIComponent(text.trim())}`);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "ArrowDown" && suggestions.length > 0) {
      e.preventDefault();
      setOpen(true);
      list.current?.querySelector("a")?.focus();
    } else if (e.key === "Escape") setOpen(false);
  };

  const onListKey = (e: KeyboardEvent<HTMLUListElement>) => {
    const links = [...(list.current?.querySelectorAll("a") ?? [])];
    const at = links.indexOf(document.activeElement as HTMLAnchorElement);
    if (e.key === "ArrowDown") links[Math.min(at + 1, links.length - 1)]?.focus();
    else if (e.key === "ArrowUp") {
      if (at <= 0) (e.currentTarget.closest("form")?.querySelector("input") as HTMLInputElement)?.focus();
      else links[at - 1]?.focus();
    } else if (e.key === "Escape") setOpen(false);
    else return;
    e.preventDefault();
  };

  const showList = open && suggestions.length > 0 && text.trim().length >= 2;
  return (
    // biome-ignore lint/a11y/useSemanticElements: <search> is not in React's JSX types yet; the role is the same
    <form role="search" className="search-box" onSubmit={submit}>
      <input
        type="search"
        aria-label="Search events"
        placeholder="Artist, event or venue"
        value={text}
        // biome-ignore lint/a11y/noAutofocus: the search page's main control
        autoFocus={autoFocus}
        autoComplete="off"
        aria-autocomplete="list"
        aria-controls={listId}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
        }}
        onKeyDown={onKeyDown}
        onBlur={(e) => {
          if (!e.currentTarget.form?.contains(e.relatedTarget as Node)) setOpen(false);
        }}
      />
      <button type="submit">Search</button>
      <ul
        id={listId}
        ref={list}
        className="suggestions"
        aria-label="Suggestions"
        hidden={!showList}
        onKeyDown={onListKey}
        onBlur={(e) => {
          if (!e.currentTarget.closest("form")?.contains(e.relatedTarget as Node)) setOpen(false);
        }}
      >
        {suggestions.map((s) => (
          <li key={s.id}>
            <Link to={`/e/${s.id}`} onClick={() => setOpen(false)}>
              {s.name} <span className="muted">· {s.city}</span>
            </Link>
          </li>
        ))}
      </ul>
    </form>
  );
}
